import { EVENT_COLUMNS, FROM_EVENTS } from './recorded-event-row';
import { READ_ALL } from './schema';

/** The oldest transaction id that may still be running: everything below it has committed or aborted. */
const SAFE_HORIZON = 'pg_snapshot_xmin(pg_current_snapshot())';

/** $1 stream, $2 from revision, $3 max count (NULL: all). */
export const READ_STREAM_FORWARDS = `
  SELECT ${EVENT_COLUMNS} ${FROM_EVENTS}
  WHERE stream_id = $1::text AND revision >= $2::bigint
  ORDER BY revision LIMIT $3::bigint`;

export const READ_STREAM_BACKWARDS = `
  SELECT ${EVENT_COLUMNS} ${FROM_EVENTS}
  WHERE stream_id = $1::text AND revision <= $2::bigint
  ORDER BY revision DESC LIMIT $3::bigint`;

/**
 * The global log after ($1 tx id, $2 sequence), at most $3 events, only from transactions
 * below the safe horizon (the work is done by the READ_ALL function, see schema.ts).
 * $4: LIKE patterns for stream ids, or NULL for every stream.
 *
 * Why nothing is skipped: sequence numbers are taken before commit, so they commit out of
 * order; tx ids too. But every transaction below the horizon has ended, and every transaction
 * that has not yet taken an id will take one above it. So once a reader has passed
 * (x, s) with x below the horizon, no event can appear later at a smaller (tx id, sequence).
 *
 * Why each stream keeps its order: revision r + 1 of a stream is written by a statement whose
 * guard matched the stream row at revision r in its own snapshot (see APPEND_AT_REVISION), so
 * the writer of revision r had committed (and therefore had its tx id) before the writer of
 * r + 1 started and took its tx id. Tx ids grow monotonically, so r + 1 sorts after r; within
 * one transaction the sequence follows the revisions. (`any` appends go through the same guard.)
 */
export function readAllStatement(): string {
  // The outer ORDER BY restates the function's order; it sorts at most one batch.
  return `
    SELECT ${EVENT_COLUMNS} FROM ${READ_ALL}($1::text::xid8, $2::text::bigint, $3::bigint, $4::text[])
    ORDER BY tx_id, sequence`;
}

/** The last event a reader can safely resume after (see readAllStatement). */
export const SAFE_HEAD_POSITION = `
  SELECT tx_id::text || ':' || sequence AS position ${FROM_EVENTS}
  WHERE tx_id < ${SAFE_HORIZON}
  ORDER BY tx_id DESC, sequence DESC LIMIT 1`;

/** The last committed event, below the horizon or not (this statement's snapshot sees only committed rows). */
export const COMMITTED_POSITION = `
  SELECT tx_id::text || ':' || sequence AS position ${FROM_EVENTS}
  ORDER BY tx_id DESC, sequence DESC LIMIT 1`;

/** LIKE pattern matching ids that start with `prefix`. */
export function prefixPattern(prefix: string): string {
  return prefix.replace(/[\\%_]/g, (c) => `\\${c}`) + '%';
}
