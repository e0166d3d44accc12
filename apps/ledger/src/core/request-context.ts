import { Requester } from '@ledger/domain/types';

/**
 * Who asks and why, as every entry (HTTP, gRPC, CLI) hands it to a use case: carried into
 * every event's metadata. Built once per request: by the `@Context()` decorator over HTTP,
 * by GrpcCaller from the call metadata, by the CLI for the operator.
 */
export interface RequestContext {
  requester: Requester;
  idempotencyKey?: string;
  /** The key's first attempt died with its process: its events may be in the log already. */
  idempotencyResumed?: boolean;
  correlationId: string;
  causationId?: string;
  auditId?: string;
  taskId?: string;
}
