import { isBillable } from '@ledger/domain';
import { LedgerError } from '@ledger/domain/errors';
import { CARRIER_MODULES, NumberManagerConfig, NumberRecord, NumberState } from '@ledger/domain/types';
import { InventoryQueries } from '@ledger/projections/inventory/queries';
import { SqlClient } from '@ledger/sql/sql-client';
import { AccountTree } from '../../accounts/account-tree';

/** The states in which billing counts a number for its holder (SPEC 6). */
const HELD: ReadonlySet<NumberState> = new Set(['reserved', 'in_service', 'port_in']);

/**
 * SPEC 10 `service_restriction` (402): an account with `maxBillableNumbers` may not take
 * another billable number once it holds that many. Counted on the inventory read model,
 * so two simultaneous takes may both pass by a number: a commercial limit, not a lock.
 */
export class BillableNumberLimit {
  constructor(private readonly sql: SqlClient, private readonly schema: string, private readonly accounts: AccountTree) {}

  async check(before: NumberRecord, after: NumberRecord, config: NumberManagerConfig): Promise<void> {
    const account = after.assignedTo;
    if (!account || !HELD.has(after.state) || !isBillable(after.carrierModule, config)) return;
    if (before.assignedTo === account && HELD.has(before.state)) return; // already counted for it
    const limit = this.accounts.get(account)?.maxBillableNumbers;
    if (limit === null || limit === undefined) return;
    const billable = CARRIER_MODULES.filter((m) => isBillable(m, config));
    const held = await new InventoryQueries(this.sql, this.schema).heldCount(account, billable);
    if (held >= limit) {
      throw new LedgerError('service_restriction', `account ${account} may hold at most ${limit} billable numbers`, { limit });
    }
  }
}
