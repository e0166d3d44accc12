/** EventStoreDB client errors, as the port's errors. */
import {
  CancelledError,
  DeadlineExceededError,
  NotLeaderError,
  UnavailableError,
  WrongExpectedVersionError,
} from '@eventstore/db-client';
import { status } from '@grpc/grpc-js';
import { EventStoreUnavailableError, ExpectedRevision, WrongExpectedRevisionError } from '../port';

export function translateAppendError(error: unknown, streamId: string, expected: ExpectedRevision): unknown {
  if (error instanceof WrongExpectedVersionError) {
    const actual = error.actualVersion === 'no_stream' ? 'no_stream' : Number(error.actualVersion);
    return new WrongExpectedRevisionError(streamId, expected, actual);
  }
  return translateError(error);
}

export function translateError(error: unknown): unknown {
  return isConnectionFailure(error)
    ? new EventStoreUnavailableError(`EventStoreDB unavailable: ${messageOf(error)}`, error)
    : error;
}

/** The request may not have reached a leader; nothing can be known about its effect but that it is retryable. */
export function isConnectionFailure(error: unknown): boolean {
  if (
    error instanceof UnavailableError ||
    error instanceof DeadlineExceededError ||
    error instanceof CancelledError ||
    error instanceof NotLeaderError
  ) {
    return true;
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (code === status.UNAVAILABLE || code === status.DEADLINE_EXCEEDED) return true;
  // Cluster discovery gives up with a plain Error.
  return error instanceof Error && /Failed to discover|ECONNREFUSED|No connection established/.test(error.message);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
