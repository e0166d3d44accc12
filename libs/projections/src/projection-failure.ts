import { LogPosition, RecordedEvent } from '@ledger/event-store/port';

/** A projection stopped at an event it cannot apply: it stays at `position`'s predecessor until that is fixed. */
export interface ProjectionFailure {
  projection: string;
  /** Log position of the event the projection cannot apply. */
  position: LogPosition;
  eventId: string;
  type: string;
  streamId: string;
  /** The error's message (for operators: logs and the CLI, never a tenant's answer). */
  error: string;
  at: string;
}

export function describeFailure(projection: string, event: RecordedEvent, err: unknown): ProjectionFailure {
  return {
    projection,
    position: event.position,
    eventId: event.id,
    type: event.type,
    streamId: event.streamId,
    error: err instanceof Error ? err.message : String(err),
    at: new Date().toISOString(),
  };
}

/** One line for operators: projection, position, event id, type, error. */
export function failureLine(f: ProjectionFailure): string {
  return `projection ${f.projection} cannot apply event ${f.eventId} (${f.type}, stream ${f.streamId}) at position ${f.position}: ${f.error}`;
}

// SQLSTATE classes after which the same statement may succeed: connection, rollback
// (serialization, deadlock), resources, lock not available, operator intervention, system.
const TRANSIENT_CLASSES = new Set(['08', '40', '53', '55', '57', '58', 'XX']);

/**
 * True when an error says nothing about the event (the database went away, a deadlock):
 * the batch is retried whole. Anything else (a value the table cannot hold, a payload the
 * projection cannot read) belongs to the event and stops only the projection that met it.
 */
export function isTransient(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return TRANSIENT_CLASSES.has(code.slice(0, 2));
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return true; // ECONNRESET, EPIPE, ...
  const message = err instanceof Error ? err.message : String(err);
  return /connection|terminat|closed|timeout|ECONN/i.test(message);
}

/** Waits on a projection that stopped at an event before the awaited position: answered 503 at once. */
export class ProjectionFailedError extends Error {
  constructor(readonly failures: ProjectionFailure[]) {
    super(
      `${failures.map((f) => `projection ${f.projection} stopped at position ${f.position}`).join('; ')}; ` +
        'queries on it cannot be answered until an operator fixes it (see GET /ready)',
    );
    this.name = 'ProjectionFailedError';
  }
}
