import { authorizeServiceNumbers } from '@ledger/domain/tenancy/service-numbers';
import { Requester } from '@ledger/domain/types';
import { ListedNumberRow } from '@ledger/projections/inventory/queries';
import { isAdmin } from '../../accounts/account-access';
import { AccountTree } from '../../accounts/account-tree';

/**
 * SPEC 12 at registration, before the service event is appended: the numbers
 * a service lists must be unassigned or belong inside the service account's
 * lineage (the inventory read model says who holds them).
 */
export function checkServiceNumbers(tree: AccountTree, requester: Requester, accountId: string, rows: ListedNumberRow[]): void {
  if (isAdmin(requester, tree)) return;
  const listed = rows.map((row) => ({ number: row.number, state: row.state, assignedTo: row.assigned_to, poolAccountId: row.pool_account_id }));
  authorizeServiceNumbers({ requester, accounts: tree }, accountId, listed);
}
