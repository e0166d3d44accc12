import { copyText, SqlClient, SqlExecutor } from '@ledger/sql';
import { LogPosition, StreamAppend } from '../port';
import { appendManyPositions, CLAIMS } from '../sql-batch-append';
import { EVENTS } from './schema';

/**
 * Claims each stream's revisions, guarded by its expected revision ($1 stream ids, $2 expected
 * revisions, NULL for no_stream, $3 event counts): the streams claimed, with the first revision
 * their events take. The guards are CLAIMS (sql-batch-append.ts), as in every multi-stream append.
 */
const CLAIM_STREAMS = `
  WITH input AS (
    SELECT * FROM unnest($1::text[], $2::bigint[], $3::int[]) AS x(stream_id, expected, count)
  ),
  ${CLAIMS}
  SELECT c.stream_id, (c.revision - i.count + 1)::int AS first_revision
  FROM (SELECT * FROM claimed_new UNION ALL SELECT * FROM claimed_existing) c JOIN input i USING (stream_id)`;

const EVENT_COLUMNS = ['stream_id', 'revision', 'event_id', 'type', 'data', 'metadata'] as const;

/** This transaction's events: its id and the first and last sequence it took. */
const WRITTEN_SPAN = `
  SELECT pg_current_xact_id()::text AS tx, min(sequence)::text AS first, max(sequence)::text AS last, count(*)::int AS count
  FROM ${EVENTS} WHERE tx_id = pg_current_xact_id()`;

/** The last sequence of each stream this transaction wrote (when its sequences are not one run). */
const WRITTEN_LAST = `
  SELECT stream_id, max(sequence)::text AS last FROM ${EVENTS} WHERE tx_id = pg_current_xact_id() GROUP BY stream_id`;

/**
 * `appendManyPositions` for thousands of streams: the same guards and the same log (one
 * transaction; tx id and sequences assigned as an INSERT assigns them, in the order of
 * `appends`), but the events go by COPY, which costs the server about half of
 * jsonb_to_recordset's INSERT per row. Three statements and a COPY instead of one statement,
 * so only for big calls. Where the client cannot COPY, the one statement.
 */
export function appendManyByCopy(sql: SqlClient, appends: StreamAppend[]): Promise<Map<string, LogPosition>> {
  return sql.transaction(async (tx): Promise<Map<string, LogPosition>> => {
    if (!tx.copyFrom) return appendManyPositions(tx, appends);
    const claimed = await claim(tx, appends);
    if (claimed.size === 0) return new Map<string, LogPosition>();
    const written = appends.filter((a) => claimed.has(a.streamId));
    const copied = await tx.copyFrom(EVENTS, EVENT_COLUMNS, copyLines(written, claimed));
    return positions(tx, written, copied);
  });
}

async function claim(tx: SqlExecutor, appends: StreamAppend[]): Promise<Map<string, number>> {
  const { rows } = await tx.query<{ stream_id: string; first_revision: number }>(
    CLAIM_STREAMS,
    [appends.map((a) => a.streamId), appends.map((a) => (a.expected === 'no_stream' ? null : a.expected)), appends.map((a) => a.events.length)],
    'ledger_claim_streams',
  );
  return new Map(rows.map((r) => [r.stream_id, r.first_revision]));
}

/** The events as COPY lines, in order; metadata objects shared by many events are encoded once. */
function copyLines(appends: StreamAppend[], firstRevision: Map<string, number>): string {
  const metadataText = new Map<object, string>();
  let lines = '';
  for (const { streamId, events } of appends) {
    const stream = copyText(streamId);
    const first = firstRevision.get(streamId)!;
    for (let k = 0; k < events.length; k++) {
      const { id, type, data, metadata } = events[k];
      let meta = metadataText.get(metadata);
      if (meta === undefined) metadataText.set(metadata, (meta = copyText(JSON.stringify(metadata))));
      lines += `${stream}\t${first + k}\t${copyText(id)}\t${copyText(type)}\t${copyText(JSON.stringify(data))}\t${meta}\n`;
    }
  }
  return lines;
}

/**
 * Each written stream's last position. COPY numbers its rows in order, so when this
 * transaction's sequences are one unbroken run (no other writer took one meanwhile), the
 * i-th event copied has the i-th; otherwise the server says.
 */
async function positions(tx: SqlExecutor, written: StreamAppend[], copied: number): Promise<Map<string, LogPosition>> {
  const { rows: [span] } = await tx.query<{ tx: string; first: string; last: string; count: number }>(WRITTEN_SPAN, [], 'ledger_written_span');
  const found = new Map<string, LogPosition>();
  const first = BigInt(span.first);
  if (span.count === copied && BigInt(span.last) - first === BigInt(copied - 1)) {
    let i = -1;
    for (const a of written) found.set(a.streamId, `${span.tx}:${first + BigInt((i += a.events.length))}`);
    return found;
  }
  const { rows } = await tx.query<{ stream_id: string; last: string }>(WRITTEN_LAST, [], 'ledger_written_last');
  for (const r of rows) found.set(r.stream_id, `${span.tx}:${r.last}`);
  return found;
}
