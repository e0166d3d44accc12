import { RecordedEvent } from '../port';
import { EVENTS } from './schema';

/**
 * The select list that `toRecordedEvent` reads. The instant travels as whole epoch milliseconds
 * (a Date holds no more): parsing timestamp text was a few percent of a replay's CPU.
 */
export const EVENT_COLUMNS = `stream_id, revision::int AS revision, tx_id::text || ':' || sequence AS position,
  event_id::text AS event_id, type, data, metadata, floor(extract(epoch FROM recorded_at) * 1000)::float8 AS recorded_ms`;

export const FROM_EVENTS = `FROM ${EVENTS}`;

export interface EventRow {
  stream_id: string;
  revision: number;
  position: string;
  event_id: string;
  type: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  recorded_ms: number;
}

export function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    streamId: row.stream_id,
    revision: row.revision,
    position: row.position,
    id: row.event_id,
    type: row.type,
    data: row.data,
    metadata: row.metadata,
    recordedAt: new Date(row.recorded_ms),
  };
}
