import { SqlExecutor } from '@ledger/sql/sql-client';
import { LogPosition, StreamAppend } from './port';
import { EVENTS, STREAMS } from './sql/schema';

/**
 * Many streams in ONE statement (`SqlEventStore.appendMany`, and group commit): a chunk of
 * thousands of numbers costs one round trip instead of one per number. Each stream keeps
 * its own optimistic guard; streams whose guard fails are left out while the others are
 * written. Event ids, revisions, tx ids and sequences are assigned exactly as a single
 * append assigns them, so readers of the global log see one more transaction and skip nothing.
 */
/**
 * The guards of every multi-stream append, over the CTE `input` (stream_id, expected: NULL for
 * no_stream, count): a new stream is claimed if nobody has it, an existing one if it is still
 * at the expected revision. Both CTEs return each claimed stream's id and new last revision.
 */
export const CLAIMS = `
  claimed_new AS (
    INSERT INTO ${STREAMS} (stream_id, revision)
    SELECT stream_id, count - 1 FROM input WHERE expected IS NULL
    ON CONFLICT (stream_id) DO NOTHING
    RETURNING stream_id, revision
  ),
  claimed_existing AS (
    UPDATE ${STREAMS} s SET revision = s.revision + i.count
    FROM input i
    WHERE i.expected IS NOT NULL AND s.stream_id = i.stream_id AND s.revision = i.expected
    RETURNING s.stream_id, s.revision
  )`;

/*
 * $1: JSON array of {stream_id, expected (null = no_stream), count}
 * $2: JSON array of {stream_id, k (index within the stream's batch), n (global order), id, type, data, metadata}
 */
const CLAIM_AND_WRITE = `
  WITH input AS (
    SELECT * FROM jsonb_to_recordset($1::text::jsonb) AS x(stream_id text, expected bigint, count int)
  ),
  ${CLAIMS},
  claimed AS (
    SELECT c.stream_id, c.revision - i.count + 1 AS first_revision
    FROM (SELECT * FROM claimed_new UNION ALL SELECT * FROM claimed_existing) c JOIN input i USING (stream_id)
  ),
  written AS (
    INSERT INTO ${EVENTS} (stream_id, revision, event_id, type, data, metadata)
    SELECT e.stream_id, c.first_revision + e.k, e.id, e.type, e.data, e.metadata
    FROM jsonb_to_recordset($2::text::jsonb) AS e(stream_id text, k int, n int, id uuid, type text, data jsonb, metadata jsonb)
    JOIN claimed c USING (stream_id)
    ORDER BY e.n
    RETURNING stream_id, tx_id, sequence
  )`;

/** CLAIM_AND_WRITE, answering the position of each written stream's last event (all share this transaction's id). */
const APPEND_MANY_WITH_POSITIONS = `${CLAIM_AND_WRITE}
  SELECT coalesce(json_object_agg(stream_id, pg_current_xact_id()::text || ':' || last), '{}') AS positions
  FROM (SELECT stream_id, max(sequence) AS last FROM written GROUP BY stream_id) w`;

/** Appends (at most one per stream): the last position of each stream written; streams whose guard failed are absent. */
export async function appendManyPositions(sql: SqlExecutor, appends: StreamAppend[]): Promise<Map<string, LogPosition>> {
  const params = appendManyParams(appends);
  if (!params) return new Map();
  // Named, so the server plans it once per connection: planning it took as long as running it.
  const { rows } = await sql.query<{ positions: Record<string, string> | string }>(APPEND_MANY_WITH_POSITIONS, params, 'ledger_append_many');
  const positions = typeof rows[0].positions === 'string' ? (JSON.parse(rows[0].positions) as Record<string, string>) : rows[0].positions;
  return new Map(Object.entries(positions));
}

function appendManyParams(appends: StreamAppend[]): [string, string] | undefined {
  const nonEmpty = appends.filter((a) => a.events.length > 0);
  if (nonEmpty.length === 0) return undefined;
  const streams = nonEmpty.map((a) => ({
    stream_id: a.streamId,
    expected: a.expected === 'no_stream' ? null : a.expected,
    count: a.events.length,
  }));
  let n = 0;
  const events = nonEmpty.flatMap((a) =>
    a.events.map((e, k) => ({ stream_id: a.streamId, k, n: n++, id: e.id, type: e.type, data: e.data, metadata: e.metadata })),
  );
  return [JSON.stringify(streams), JSON.stringify(events)];
}
