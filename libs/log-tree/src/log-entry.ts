import canonicalize from 'canonicalize';

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
    recordedAt: event.recordedAt.toISOString(),
    position: event.position,
  };
}

export function entryBytes(entry: LogEntry): Buffer {
  const text = canonicalize(entry);
  if (text === undefined) throw new Error('an entry must be serialisable JSON');
  return Buffer.from(text, 'utf8');
}
