import { LedgerError } from '@ledger/domain/errors';

/** A whole number from a query string, or a 400 naming the parameter. */
export function wholeParam(name: string, raw: unknown, min = 0): number {
  if (typeof raw !== 'string' || !/^\d{1,15}$/.test(raw) || Number(raw) < min) {
    throw new LedgerError('validation_failed', `${name} must be a whole number of at least ${min}`);
  }
  return Number(raw);
}
