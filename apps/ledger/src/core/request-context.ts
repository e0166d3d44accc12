import { Requester } from '@ledger/domain/types';
import { invalid } from '@ledger/domain/validation';
import { EventMetadata } from '@ledger/event-store/port';

/** Longest `x-request-id` recorded as an event's correlation id (a UUID is 36; proxies' trace ids stay well below). */
export const MAX_CORRELATION_ID_LENGTH = 200;
// C0 controls (tab, CR and LF included), DEL and C1 controls are never part of a request id.
// eslint-disable-next-line no-control-regex
const CORRELATION_CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * The caller's `x-request-id` (HTTP header or gRPC metadata) as it will be recorded in the
 * events' metadata, checked the same way for both transports (SPEC 12): absent or empty is
 * `undefined` (the entry supplies its own id); longer than MAX_CORRELATION_ID_LENGTH or holding a
 * control character is refused with `validation_failed` (400 / INVALID_ARGUMENT), never echoed.
 */
export function checkedCorrelationId(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (value.length > MAX_CORRELATION_ID_LENGTH) throw invalid('x-request-id', `is longer than ${MAX_CORRELATION_ID_LENGTH} characters`);
  if (CORRELATION_CONTROL.test(value)) throw invalid('x-request-id', 'holds a control character');
  if (LONE_SURROGATE.test(value)) throw invalid('x-request-id', 'holds a lone UTF-16 surrogate (not a Unicode character)');
  return value;
}

/**
 * Who asks and why, as every entry (HTTP, gRPC, CLI, sweeper, tasks, audits) hands it to
 * a use case: carried into every event's metadata.
 */
export interface RequestContext {
  requester: Requester;
  idempotencyKey?: string;
  /** The key's first attempt died with its process: its events may be in the log already. */
  idempotencyResumed?: boolean;
  /**
   * The request's id (`x-request-id`), or the name of the process acting (sweep, task, audit).
   * Optional while some in-process callers (CLI key revocation, derived usage commands) record none:
   * making it required would add metadata to their events.
   */
  correlationId?: string;
  causationId?: string;
  auditId?: string;
  taskId?: string;
}

export function eventMetadata(context: RequestContext, command: string): EventMetadata {
  const m: EventMetadata = { actor: context.requester.accountId, command };
  if (context.correlationId) m.correlationId = context.correlationId;
  if (context.causationId) m.causationId = context.causationId;
  if (context.auditId) m.auditId = context.auditId;
  if (context.taskId) m.taskId = context.taskId;
  return m;
}

/**
 * The key of one item of a keyed request (a collection's or a range's number): apart from every
 * key a client can send, since no header or gRPC metadata value holds a newline (`K1:+1415...`
 * was a key another request could send, and collide with).
 */
export function itemIdempotencyKey(key: string | undefined, item: string): string | undefined {
  return key && `${key}\n${item}`;
}
