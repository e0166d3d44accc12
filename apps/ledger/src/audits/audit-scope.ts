import { AuditLevel, AuditScope } from '@ledger/domain/audit/audit-rules';
import { LedgerError } from '@ledger/domain/errors';
import { AccountQueries } from '@ledger/projections/accounts/queries';
import { SqlExecutor } from '@ledger/sql/sql-client';

export interface AuditRequest {
  accountId: string;
  level: AuditLevel;
  siteIds?: string[];
}

/**
 * SPEC 7 scope: a customer-level audit covers the customer and all its sites
 * (its direct sub-accounts); a site-level audit covers the selected sites,
 * or all of them when none are named.
 */
export async function resolveScope(sql: SqlExecutor, schema: string, request: AuditRequest): Promise<AuditScope & { siteIds: string[] }> {
  const accounts = new AccountQueries(sql, schema);
  const sites = await accounts.childrenOf(request.accountId);
  const lineage = await accounts.lineageOf(request.accountId);
  if (request.level === 'customer') {
    if (request.siteIds?.length) throw new LedgerError('validation_failed', 'siteIds apply to site-level audits only', { field: 'siteIds' });
    return { level: 'customer', customerId: request.accountId, accounts: [request.accountId, ...sites], lineage, siteIds: [] };
  }
  const selected = request.siteIds?.length ? [...new Set(request.siteIds)].sort() : sites;
  const unknown = selected.filter((id) => !sites.includes(id));
  if (unknown.length > 0) {
    throw new LedgerError('validation_failed', `not sites of ${request.accountId}: ${unknown.join(', ')}`, { field: 'siteIds' });
  }
  if (selected.length === 0) throw new LedgerError('validation_failed', `account ${request.accountId} has no sites to audit`, { field: 'siteIds' });
  return { level: 'site', customerId: request.accountId, accounts: selected, lineage, siteIds: selected };
}
