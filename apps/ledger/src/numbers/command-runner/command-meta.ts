import { Requester } from '@ledger/domain/types';
import { EventMetadata } from '@ledger/event-store/port';

/** Who asks and why: carried into every event's metadata. */
export interface CommandMeta {
  requester: Requester;
  idempotencyKey?: string;
  /** The key's first attempt died with its process: its events may be in the log already. */
  idempotencyResumed?: boolean;
  correlationId?: string;
  causationId?: string;
  auditId?: string;
  taskId?: string;
}

export function eventMetadata(meta: CommandMeta, command: string): EventMetadata {
  const m: EventMetadata = { actor: meta.requester.accountId, command };
  if (meta.correlationId) m.correlationId = meta.correlationId;
  if (meta.causationId) m.causationId = meta.causationId;
  if (meta.auditId) m.auditId = meta.auditId;
  if (meta.taskId) m.taskId = meta.taskId;
  return m;
}
