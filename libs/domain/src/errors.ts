/** The error codes of SPEC.md section 10, with their HTTP status. */
export const ERROR_STATUS = {
  number_exists: 409,
  not_found: 404,
  not_reconcilable: 400,
  unauthorized: 403,
  invalid_state_transition: 409,
  no_change_required: 409,
  assign_failure: 400,
  number_is_porting: 409,
  service_restriction: 402,
  concurrency_conflict: 409,
  carrier_fault: 502,
  validation_failed: 400,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class LedgerError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(`${code}: ${detail}`);
    this.name = 'LedgerError';
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}
