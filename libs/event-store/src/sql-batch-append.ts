import { SqlExecutor } from '@ledger/sql/sql-client';
import { appendSignalFor } from './append-signal';
import { LogPosition, NewEvent } from './port';
import { EVENTS, STREAMS } from './sql/schema';

/**
 * Batched appends for bulk work (CSV imports) on the tables of `SqlEventStore`:
 * many streams in ONE statement, so a chunk of thousands of numbers costs one
 * round trip instead of one per number. Each stream keeps its own optimistic
 * guard; streams whose guard fails are left out (the caller decides them again)
 * while the others are written. Event ids, revisions, tx ids and sequences are
 * assigned exactly as `SqlEventStore.append` assigns them, so readers of the
 * global log see one more transaction and skip nothing.
 *
 * The event-store port could offer this as `appendMany(appends)`; until it does,
 * this module is the SQL adapters' implementation.
 */
export interface StreamAppend {
  streamId: string;
  /** `no_stream` or the stream's current last revision. */
  expected: 'no_stream' | number;
  events: NewEvent[];
}

export interface BatchAppendResult {
  /** Streams whose events were written (the others failed their guard). */
  written: Set<string>;
  /** Position of the last event written; null when nothing was. */
  position: LogPosition | null;
}

/*
 * $1: JSON array of {stream_id, expected (null = no_stream), count}
 * $2: JSON array of {stream_id, k (index within the stream's batch), n (global order), id, type, data, metadata}
 */
const CLAIM_AND_WRITE = `
  WITH input AS (
    SELECT * FROM jsonb_to_recordset($1::text::jsonb) AS x(stream_id text, expected bigint, count int)
  ),
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
  ),
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

/*
 * $1: JSON array of {stream_id, expected (null = no_stream), count}
 * $2: JSON array of {stream_id, k (index within the stream's batch), n (global order), id, type, data, metadata}
 */
const APPEND_MANY = `${CLAIM_AND_WRITE}
  SELECT (SELECT coalesce(json_agg(stream_id), '[]') FROM claimed) AS claimed,
         (SELECT tx_id::text || ':' || sequence FROM written ORDER BY sequence DESC LIMIT 1) AS position`;

/** The same, answering the position of each written stream's last event (all share this transaction's id). */
const APPEND_MANY_WITH_POSITIONS = `${CLAIM_AND_WRITE}
  SELECT coalesce(json_object_agg(stream_id, pg_current_xact_id()::text || ':' || last), '{}') AS positions
  FROM (SELECT stream_id, max(sequence) AS last FROM written GROUP BY stream_id) w`;

export async function appendMany(sql: SqlExecutor & object, appends: StreamAppend[]): Promise<BatchAppendResult> {
  const params = appendManyParams(appends);
  if (!params) return { written: new Set(), position: null };
  const { rows } = await sql.query<{ claimed: string[] | string; position: string | null }>(APPEND_MANY, params);
  const claimed = typeof rows[0].claimed === 'string' ? (JSON.parse(rows[0].claimed) as string[]) : rows[0].claimed;
  if (rows[0].position) appendSignalFor(sql).notify();
  return { written: new Set(claimed), position: rows[0].position };
}

/**
 * `appendMany` for a group of unrelated appends (at most one per stream): the last
 * position of each stream written; streams whose guard failed are absent.
 */
export async function appendManyPositions(sql: SqlExecutor, appends: StreamAppend[]): Promise<Map<string, LogPosition>> {
  const params = appendManyParams(appends);
  if (!params) return new Map();
  const { rows } = await sql.query<{ positions: Record<string, string> | string }>(APPEND_MANY_WITH_POSITIONS, params);
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

export interface StoredStream {
  /** Last revision. */
  revision: number;
  events: Array<{ id: string; type: string; data: Record<string, unknown> }>;
}

/** Several streams in one query (streams that do not exist are absent from the map). */
export async function readStreams(sql: SqlExecutor, streamIds: string[]): Promise<Map<string, StoredStream>> {
  if (streamIds.length === 0) return new Map();
  const { rows } = await sql.query<{ stream_id: string; revision: number; events: StoredStream['events'] | string }>(
    `SELECT s.stream_id, s.revision::int AS revision,
            coalesce(json_agg(json_build_object('id', e.event_id, 'type', e.type, 'data', e.data) ORDER BY e.revision)
                     FILTER (WHERE e.event_id IS NOT NULL), '[]') AS events
     FROM ${STREAMS} s LEFT JOIN ${EVENTS} e ON e.stream_id = s.stream_id
     WHERE s.stream_id = ANY($1::text[])
     GROUP BY s.stream_id, s.revision`,
    [streamIds],
  );
  return new Map(
    rows.map((r) => [r.stream_id, { revision: r.revision, events: typeof r.events === 'string' ? (JSON.parse(r.events) as StoredStream['events']) : r.events }]),
  );
}

/** Which of these event ids are stored. */
export async function storedEventIds(sql: SqlExecutor, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const { rows } = await sql.query<{ id: string }>(`SELECT event_id::text AS id FROM ${EVENTS} WHERE event_id = ANY($1::uuid[])`, [ids]);
  return new Set(rows.map((r) => r.id));
}
