import { EVENTS, STREAMS } from './schema';

/*
 * One statement per append: claim the revisions on the stream row, guarded by the
 * expected revision, then insert the events numbered from the claimed range.
 * Parameters: $1 stream id, $2 events as a JSON array text, $3 event count [, $4 expected revision].
 * No row comes back when the guard fails (conflict or idempotent retry: the caller looks).
 */
const WRITE_EVENTS = `
  written AS (
    INSERT INTO ${EVENTS} (stream_id, revision, event_id, type, data, metadata)
    SELECT $1::text, stream.revision - $3::bigint + e.n, (e.event->>'id')::uuid, e.event->>'type',
           e.event->'data', e.event->'metadata'
    FROM stream, jsonb_array_elements($2::text::jsonb) WITH ORDINALITY AS e(event, n)
    ORDER BY e.n
    RETURNING revision, tx_id, sequence
  )
  SELECT revision::int AS revision, tx_id::text || ':' || sequence AS position
  FROM written ORDER BY revision DESC LIMIT 1`;

/** Expected revision `no_stream`: create the stream row, or nothing when it exists. */
export const APPEND_TO_NEW_STREAM = `
  WITH stream AS (
    INSERT INTO ${STREAMS} (stream_id, revision) VALUES ($1::text, $3::bigint - 1)
    ON CONFLICT (stream_id) DO NOTHING
    RETURNING revision
  ),${WRITE_EVENTS}`;

/**
 * Expected revision N: move the stream row from N to N + count, or nothing when it is elsewhere.
 * The row version the UPDATE matches is visible to this statement's snapshot, so the
 * transaction that wrote revision N had committed before this one began.
 */
export const APPEND_AT_REVISION = `
  WITH stream AS (
    UPDATE ${STREAMS} SET revision = revision + $3::bigint
    WHERE stream_id = $1::text AND revision = $4::bigint
    RETURNING revision
  ),${WRITE_EVENTS}`;

export const STREAM_REVISION = `SELECT revision::int AS revision FROM ${STREAMS} WHERE stream_id = $1::text`;

/** Where events with these ids are stored, if anywhere. $1: JSON array of ids. */
export const STORED_EVENTS_BY_ID = `
  SELECT stream_id, revision::int AS revision, tx_id::text || ':' || sequence AS position, event_id::text AS event_id
  FROM ${EVENTS}
  WHERE event_id IN (SELECT jsonb_array_elements_text($1::text::jsonb)::uuid)`;
