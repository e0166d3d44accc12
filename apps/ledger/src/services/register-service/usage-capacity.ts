import { LedgerError } from '@ledger/domain/errors';
import { INPUT_LIMITS } from '@ledger/domain/validation/input-limits';
import { ListedNumberRow } from '@ledger/projections/inventory/queries';

/**
 * A number records at most INPUT_LIMITS.listLength services as its users: a registration that
 * would add one more is refused whole, before anything is recorded, instead of being accepted
 * while the number's usage silently stops following it (`other_users`: the registering service left out).
 */
export function refuseFullNumbers(rows: ListedNumberRow[]): void {
  const full = rows.find((row) => row.other_users >= INPUT_LIMITS.listLength);
  if (full) {
    throw new LedgerError('validation_failed', `${full.number} is already used by ${INPUT_LIMITS.listLength} services, the most a number records`, { field: 'numbers' });
  }
}
