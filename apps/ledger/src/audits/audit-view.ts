import { AccountView } from '@ledger/domain/tenancy/view';
import { AuditQueries } from '@ledger/projections/audits/queries';
import { SqlExecutor } from '@ledger/sql/sql-client';

export interface AuditLine {
  number: string;
  accountId: string | null;
  state: string | null;
  usedBy: unknown[];
  reason?: string;
}

export interface AuditView {
  id: string;
  accountId: string;
  level: string;
  siteIds: string[];
  status: 'running' | 'completed';
  requestedBy: string;
  startedAt: string;
  finishedAt: string | null;
  progress: { total: number | null; processed: number };
  counts: { added: number; updated: number; conflicts: number; unused: number };
  report: { added: AuditLine[]; updated: AuditLine[]; conflicts: AuditLine[]; unused: AuditLine[] };
}

const KINDS = { added: 'added', updated: 'updated', conflicts: 'conflict', unused: 'unused' } as const;

/** The audit and its report from the `audits` and `audit_findings` read models; at most `limit` lines per kind. */
export async function readAudit(sql: SqlExecutor, s: string, id: string, limit: number): Promise<AuditView | null> {
  const audits = new AuditQueries(sql, s);
  const a = await audits.find(id);
  if (!a) return null;
  const counts = await audits.findingCounts(id);
  const count = (kind: string) => Number(counts.find((r) => r.kind === kind)?.n ?? 0);
  const lines = await audits.findings(id, limit);
  const report = { added: [], updated: [], conflicts: [], unused: [] } as AuditView['report'];
  for (const [key, kind] of Object.entries(KINDS)) {
    report[key as keyof typeof KINDS] = lines.filter((r) => r.kind === kind).map((r) => ({
      number: r.number, accountId: r.account_id, state: r.state_before, usedBy: r.used_by, ...(r.reason ? { reason: r.reason } : {}),
    }));
  }
  return {
    id: a.id, accountId: a.account_id, level: a.level, siteIds: a.site_ids, status: a.status, requestedBy: a.requested_by,
    startedAt: new Date(a.started_at).toISOString(), finishedAt: a.finished_at ? new Date(a.finished_at).toISOString() : null,
    progress: { total: a.total, processed: a.processed },
    counts: { added: count('added'), updated: count('updated'), conflicts: count('conflict'), unused: count('unused') },
    report,
  };
}

/**
 * SPEC 12: a conflict with an account outside the caller's view shows neither
 * that account nor its number's state; services of other tenants are left out.
 */
export function auditInView(view: AuditView, tenant: AccountView): AuditView {
  if (tenant.seesAll) return view;
  const line = (l: AuditLine): AuditLine => {
    const visible = l.accountId === null || tenant.sees(l.accountId);
    return { ...l, accountId: visible ? l.accountId : null, state: visible ? l.state : null };
  };
  const r = view.report;
  return tenant.answer({
    ...view,
    report: { added: r.added.map(line), updated: r.updated.map(line), conflicts: r.conflicts.map(line), unused: r.unused.map(line) },
  });
}
