import { isAdmin } from '../accounts/account-access';
import { Requester } from '@ledger/domain/types';
import { INVENTORY_COLUMNS } from '@ledger/projections/inventory/inventory-row';
import { InventoryQueries } from '@ledger/projections/inventory/queries';
import { SqlClient } from '@ledger/sql/sql-client';
import { AccountTree } from '../accounts/account-tree';
import { AccountView } from '@ledger/domain/tenancy/view';
import { TaskAction } from '@ledger/domain/task';

const PAGE = 2000;

/** `list`: the essentials; `dump`: every column of the inventory reporting table. */
export function exportColumns(action: TaskAction): string[] {
  return action === 'dump'
    ? ['e164', ...INVENTORY_COLUMNS.filter((c) => c !== 'number')]
    : ['e164', 'state', 'carrier_module', 'account_id', 'classification', 'updated_at'];
}

/**
 * The current inventory of the caller's subtree (everything for admins), in number order,
 * page by page so a million numbers never sit in memory at once.
 */
export async function* inventoryPages(
  sql: SqlClient,
  schema: string,
  requester: Requester,
  accounts: AccountTree,
  action: TaskAction,
): AsyncGenerator<unknown[][]> {
  const admin = isAdmin(requester, accounts);
  const view = new AccountView({ requester, accounts });
  const columns = exportColumns(action);
  const inventory = new InventoryQueries(sql, schema);
  let after = '';
  for (;;) {
    const rows = await inventory.exportPage(after, PAGE, admin ? null : requester.accountId);
    if (rows.length === 0) return;
    // SPEC 12: earlier holders, reservations and services outside the caller's view are left out
    yield rows.map((row) => view.answer({ ...row })).map((row) => columns.map((c) => cell(row, c)));
    after = rows[rows.length - 1].number as string;
  }
}

function cell(row: Record<string, unknown>, column: string): unknown {
  if (column === 'e164') return row.number;
  if (column === 'account_id') return row.assigned_to;
  const v = row[column];
  return v instanceof Date ? v.toISOString() : v;
}
