import { canonicalJson } from './canonical-json';
import { isoTime } from './iso-time';
import { jsonString } from './json-string';

/**
 * The entry a leaf commits to: one event as stored, as RFC 8785 (JCS) canonical JSON in
 * UTF-8. Field names and meanings are documented in docs/verifiable-history.md; an auditor
 * recomputes the same bytes from an export with any JCS implementation.
 */
export interface LogEntry {
  stream: string;
  revision: number;
  eventId: string;
  type: string;
  data: unknown;
  metadata: unknown;
  /** ISO 8601 UTC with milliseconds, as `Date.toISOString()` writes it. */
  recordedAt: string;
  /** The event's position in the global log, as the store spells it. */
  position: string;
}

export interface StoredEventLike {
  streamId: string;
  revision: number;
  id: string;
  type: string;
  data: unknown;
  metadata: unknown;
  recordedAt: Date;
  position: string;
}

export function logEntryOf(event: StoredEventLike): LogEntry {
  return {
    stream: event.streamId,
    revision: event.revision,
    eventId: event.id,
    type: event.type,
    data: event.data,
    metadata: event.metadata,
    recordedAt: isoTime(event.recordedAt),
    position: event.position,
  };
}

/**
 * The entry's canonical JSON. Its members' names are fixed, so they are written in their
 * sorted order here and only `data` and `metadata` go through the generic canonical walk.
 */
export function entryText(entry: LogEntry): string {
  if (entry.data === undefined || entry.metadata === undefined) return canonicalJson(entry); // members left out, as JCS leaves undefined out
  return `{"data":${canonicalJson(entry.data)},"eventId":${jsonString(entry.eventId)},"metadata":${canonicalJson(entry.metadata)},`
    + `"position":${jsonString(entry.position)},"recordedAt":${jsonString(entry.recordedAt)},"revision":${canonicalJson(entry.revision)},`
    + `"stream":${jsonString(entry.stream)},"type":${jsonString(entry.type)}}`;
}

/** The entry's canonical JSON in UTF-8: the bytes a leaf commits to. */
export function entryBytes(entry: LogEntry): Buffer {
  return Buffer.from(entryText(entry), 'utf8');
}
