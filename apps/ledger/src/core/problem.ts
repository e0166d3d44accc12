import { ERROR_STATUS, LedgerError } from '@ledger/domain/errors';

/** RFC 9457 problem details, with the SPEC error `code`. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  errors?: Array<{ field: string; message: string }>;
  [extra: string]: unknown;
}

const TITLES: Record<string, string> = {
  number_exists: 'Number exists',
  not_found: 'Not found',
  not_reconcilable: 'Not a phone number',
  unauthorized: 'Unauthorized',
  invalid_state_transition: 'Invalid state transition',
  no_change_required: 'No change required',
  assign_failure: 'Assign failure',
  number_is_porting: 'Number is porting',
  service_restriction: 'Service restriction',
  concurrency_conflict: 'Concurrency conflict',
  carrier_fault: 'Carrier fault',
  validation_failed: 'Validation failed',
  unauthenticated: 'Unauthenticated',
  payload_too_large: 'Payload too large',
  idempotency_key_reused: 'Idempotency key reused',
  account_exists: 'Account exists',
  unavailable: 'Service unavailable',
  too_many_requests: 'Too many requests',
  internal: 'Internal error',
  uri_too_long: 'URI too long',
  request_too_large: 'Request header fields too large',
  unsupported_media_type: 'Unsupported media type',
  timeout: 'Request timeout',
};

export function problem(code: string, status: number, detail: string, extra: Record<string, unknown> = {}): Problem {
  return { type: `https://numbers-ledger.dev/problems/${code}`, title: TITLES[code] ?? code, status, code, detail, ...extra };
}

export function problemFromLedgerError(err: LedgerError): Problem {
  return problem(err.code, ERROR_STATUS[err.code], err.detail, err.extra);
}
