import { shapeProblem, type EventShape } from './event-shape';

/** What the log gives back: a type string and a payload (plus, when known, where it lies). */
export interface StoredEvent {
  type: string;
  data: Record<string, unknown>;
  streamId?: string;
  revision?: number;
}

/** A stored event the domain cannot read: a type it does not know on that stream, or a payload of the wrong shape. */
export class UnreadableEventError extends Error {
  constructor(readonly event: StoredEvent, readonly problem: string) {
    super(`${where(event)}event ${event.type} cannot be read: ${problem}`);
    this.name = 'UnreadableEventError';
  }
}

function where(e: StoredEvent): string {
  return e.streamId === undefined ? '' : `stream ${e.streamId}${e.revision === undefined ? '' : ` revision ${e.revision}`}: `;
}

/**
 * How one aggregate's events go to and come back from the log: the known type
 * strings with their payload shapes (the registry), `read` to check a stored
 * event into a domain event, `write` for the type and payload to append.
 */
export interface EventCodec<Event> {
  readonly shapes: Readonly<Record<string, EventShape>>;
  read(stored: StoredEvent): Event;
  write(event: Event): { type: string; data: Record<string, unknown> };
}

/** Checks `stored` against the shapes; throws UnreadableEventError for an unknown type or a bad payload. */
export function checkStored(stored: StoredEvent, shapes: Readonly<Record<string, EventShape>>): void {
  if (!Object.hasOwn(shapes, stored.type)) throw new UnreadableEventError(stored, 'unknown event type');
  if (stored.data === null || typeof stored.data !== 'object' || Array.isArray(stored.data)) {
    throw new UnreadableEventError(stored, 'the payload is not an object');
  }
  const problem = shapeProblem(stored.data, shapes[stored.type]);
  if (problem) throw new UnreadableEventError(stored, problem);
}

/**
 * The codec of events kept as `{ type, data }` (every aggregate but the number).
 * The cast is the one place a checked payload becomes its declared type.
 */
export function envelopeCodec<Event extends { type: string; data: object }>(shapes: Readonly<Record<Event['type'], EventShape>>): EventCodec<Event> {
  return {
    shapes,
    read(stored) {
      checkStored(stored, shapes);
      return { type: stored.type, data: stored.data } as Event;
    },
    write(event) {
      return { type: event.type, data: { ...event.data } };
    },
  };
}
