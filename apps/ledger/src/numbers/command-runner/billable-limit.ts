import { isBillable } from '@ledger/domain';
import { LedgerError } from '@ledger/domain/errors';
import { CARRIER_MODULES, NumberManagerConfig, NumberRecord, NumberState } from '@ledger/domain/types';
import { InventoryQueries } from '@ledger/projections/inventory/queries';
import { SqlClient } from '@ledger/sql/sql-client';
import { AccountTree } from '../../accounts/account-tree';

/** The states in which billing counts a number for its holder (SPEC 6). */
const HELD: ReadonlySet<NumberState> = new Set(['reserved', 'in_service', 'port_in']);

/** An account that a change would give one more billable number, and the most it may hold. */
export interface LimitedTake {
  account: string;
  limit: number;
}

/**
 * SPEC 10 `service_restriction` (402): an account with `maxBillableNumbers` may not take
 * another billable number once it holds that many. Counted on the inventory read model,
 * so two simultaneous takes may both pass by a number: a commercial limit, not a lock.
 */
export class BillableNumberLimit {
  constructor(private readonly sql: SqlClient, private readonly schema: string, private readonly accounts: AccountTree) {}

  async check(before: NumberRecord, after: NumberRecord, config: NumberManagerConfig): Promise<void> {
    const take = this.limitedTake(before, after, config);
    if (take && (await this.held(take.account, config)) >= take.limit) throw refusal(take);
  }

  /** The limit `before` -> `after` counts against, or null when it takes nothing billable from a limited account. */
  limitedTake(before: NumberRecord, after: NumberRecord, config: NumberManagerConfig): LimitedTake | null {
    const account = after.assignedTo;
    if (!account || !HELD.has(after.state) || !isBillable(after.carrierModule, config)) return null;
    if (before.assignedTo === account && HELD.has(before.state)) return null; // already counted for it
    const limit = this.accounts.get(account)?.maxBillableNumbers;
    return limit === null || limit === undefined ? null : { account, limit };
  }

  /** Billable numbers the account holds, as the inventory shows them. */
  async held(account: string, config: NumberManagerConfig): Promise<number> {
    const billable = CARRIER_MODULES.filter((m) => isBillable(m, config));
    return new InventoryQueries(this.sql, this.schema).heldCount(account, billable);
  }
}

export function refusal({ account, limit }: LimitedTake): LedgerError {
  return new LedgerError('service_restriction', `account ${account} may hold at most ${limit} billable numbers`, { limit });
}
