import { Requester } from '@ledger/domain/types';
import { EventMetadata } from '@ledger/event-store/port';

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
