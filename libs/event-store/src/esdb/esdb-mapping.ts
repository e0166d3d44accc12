/** Translation between the port's shapes and the EventStoreDB client's. */
import {
  ANY,
  AppendExpectedRevision,
  EventData,
  jsonEvent,
  NO_STREAM,
  Position,
  RecordedEvent as EsdbRecordedEvent,
} from '@eventstore/db-client';
import {
  ExpectedRevision,
  LogPosition,
  NewEvent,
  parsePosition,
  RecordedEvent,
  StreamFilter,
} from '../port';

/** The server sends ulong max where it knows no log position (events read from a stream, before 22.6). */
export const UNKNOWN_POSITION: LogPosition = '18446744073709551615:18446744073709551615';

export function toExpectedRevision(expected: ExpectedRevision): AppendExpectedRevision {
  if (expected === 'no_stream') return NO_STREAM;
  if (expected === 'any') return ANY;
  return BigInt(expected);
}

export function toEventData(event: NewEvent): EventData {
  return jsonEvent({ id: event.id, type: event.type, data: event.data, metadata: event.metadata });
}

export function formatPosition(position: Position | undefined): LogPosition {
  return position ? `${position.commit}:${position.prepare}` : UNKNOWN_POSITION;
}

export function toEsdbPosition(position: LogPosition): Position {
  const [commit, prepare] = parsePosition(position);
  return { commit, prepare };
}

export function toRecordedEvent(event: EsdbRecordedEvent): RecordedEvent {
  return {
    streamId: event.streamId,
    revision: Number(event.revision),
    position: formatPosition(event.position),
    id: event.id,
    type: event.type,
    data: asObject(event.data),
    metadata: asObject(event.metadata),
    recordedAt: event.created,
  };
}

/** Events EventStoreDB writes for itself ($stats, $users, links, metadata) are not the ledger's. */
export function isSystemEvent(event: EsdbRecordedEvent): boolean {
  return event.type.startsWith('$') || event.streamId.startsWith('$');
}

export function matchesFilter(streamId: string, filter: StreamFilter | undefined): boolean {
  const prefixes = filter?.streamPrefixes;
  if (!prefixes || prefixes.length === 0) return true;
  return prefixes.some((prefix) => streamId.startsWith(prefix));
}

function asObject(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !(value instanceof Uint8Array)
    ? (value as Record<string, unknown>)
    : {};
}
