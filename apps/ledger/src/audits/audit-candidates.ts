import { AuditSubject } from '@ledger/domain/audit/audit-rules';
import { InventoryQueries } from '@ledger/projections/inventory/queries';
import { SqlExecutor } from '@ledger/sql/sql-client';

/**
 * The numbers of the scope that may need the audit's attention, in number
 * order, found in SQL: used by an audited service or held by an audited
 * account, and missing, not in service, held by an account that does not use
 * it, unused, or with usage different from the registry. A superset: the
 * rules (`auditNumber`) decide; numbers already right are never fetched.
 */
export async function findCandidates(sql: SqlExecutor, s: string, scope: string[], after?: string): Promise<AuditSubject[]> {
  const rows = await new InventoryQueries(sql, s).auditCandidates(scope, after);
  return rows.map((row) => ({
    number: row.number,
    current: row.state === null ? null : { state: row.state, assignedTo: row.assigned_to, usedBy: row.used_by ?? [], poolAccountId: row.pool_account_id },
    users: row.users,
  }));
}
