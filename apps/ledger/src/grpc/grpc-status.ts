import { Metadata, status } from '@grpc/grpc-js';
import { Problem } from '../core/problem';

export const ERROR_CODE_METADATA = 'ledger-error-code';
/**
 * Longest detail (grpc-message) a call answers: an error may quote caller input, and a trailer of
 * ~100 KB breaks the client's HTTP/2 connection (every later call on the channel hangs).
 */
export const MAX_GRPC_DETAIL_LENGTH = 1024;

/** `details` cut to MAX_GRPC_DETAIL_LENGTH characters. */
export function boundedDetail(details: string): string {
  return details.length > MAX_GRPC_DETAIL_LENGTH ? `${details.slice(0, MAX_GRPC_DETAIL_LENGTH - 3)}...` : details;
}

/** SPEC error code -> gRPC status; codes not listed fall back on the HTTP status. */
const BY_CODE: Record<string, status> = {
  validation_failed: status.INVALID_ARGUMENT,
  not_reconcilable: status.INVALID_ARGUMENT,
  assign_failure: status.INVALID_ARGUMENT,
  not_found: status.NOT_FOUND,
  unauthorized: status.PERMISSION_DENIED,
  unauthenticated: status.UNAUTHENTICATED,
  invalid_state_transition: status.FAILED_PRECONDITION,
  no_change_required: status.FAILED_PRECONDITION,
  number_is_porting: status.FAILED_PRECONDITION,
  service_restriction: status.FAILED_PRECONDITION,
  idempotency_key_reused: status.FAILED_PRECONDITION,
  number_exists: status.ALREADY_EXISTS,
  account_exists: status.ALREADY_EXISTS,
  concurrency_conflict: status.ABORTED,
  carrier_fault: status.UNAVAILABLE,
  unavailable: status.UNAVAILABLE,
  payload_too_large: status.RESOURCE_EXHAUSTED,
  internal: status.INTERNAL,
};

const BY_HTTP_STATUS: Record<number, status> = {
  400: status.INVALID_ARGUMENT,
  401: status.UNAUTHENTICATED,
  403: status.PERMISSION_DENIED,
  404: status.NOT_FOUND,
  409: status.FAILED_PRECONDITION,
  413: status.RESOURCE_EXHAUSTED,
  422: status.INVALID_ARGUMENT,
  429: status.RESOURCE_EXHAUSTED,
  503: status.UNAVAILABLE,
};

export function grpcStatusOf(problem: Pick<Problem, 'code' | 'status'>): status {
  return BY_CODE[problem.code] ?? BY_HTTP_STATUS[problem.status] ?? (problem.status >= 500 ? status.INTERNAL : status.UNKNOWN);
}

/** What grpc-js sends as the call's status: code, detail, and the SPEC code in the trailers. */
export function grpcErrorOf(problem: Problem): Error & { code: status; details: string; metadata: Metadata } {
  const metadata = new Metadata();
  metadata.set(ERROR_CODE_METADATA, problem.code);
  if (typeof problem.retryAfter === 'number') metadata.set('retry-after', String(problem.retryAfter));
  const details = boundedDetail(problem.detail);
  return Object.assign(new Error(details), { code: grpcStatusOf(problem), details, metadata });
}
