import { randomUUID } from 'node:crypto';
import type { IntegrationModule } from '../../../../../libs/carriers/src';
import { RECONCILIATION_COMPLETED, RECONCILIATION_STREAM } from '../../../../../libs/projections/src/reconciliations/reconciliations.projection';
import type { LedgerRuntime } from '../../ledger-runtime';

export const FIXES = ['disconnect_released_upstream'] as const;
export type ReconciliationFix = (typeof FIXES)[number];

export type FindingKind = 'paid_for_nothing' | 'broken_service' | 'wrong_module' | 'pending_order';

export interface Finding {
  kind: FindingKind;
  number: string;
  module: IntegrationModule;
  ledgerModule: string | null;
  /** `absent` when the ledger never had the number. */
  ledgerState: string;
  /** `absent` when the carrier does not list it. */
  upstreamState: string;
}

export interface ReconciliationReport {
  id: string;
  module: IntegrationModule;
  scope: string;
  /** `unsupported`: the carrier's API lists no numbers of the account. */
  status: 'completed' | 'unsupported';
  counts: Record<FindingKind | 'upstream' | 'ledger', number>;
  findings: Finding[];
  fixes: Array<{ fix: ReconciliationFix; number: string; result: string }>;
  startedAt: string;
  completedAt: string;
}

/** Upstream statuses by which a carrier says it no longer charges for the number (Telnyx's words). */
const GONE = ['deleted', 'ported_out', 'purchase_failed', 'port_failed'];
const HELD = ['reserved', 'in_service', 'port_in'];
/** Ledger states of a number the ledger gave up (or deleted). */
const RELEASED = ['released', 'aging', 'available', 'deleted'];
/** Findings listed per run (all are counted). */
const MAX_FINDINGS = 10_000;

/**
 * Compares what one carrier lists on the operator's account with the ledger.
 * The carrier's pages go into a scratch table, one page at a time, and SQL
 * compares them with the inventory: memory stays bounded whatever the count.
 * Nothing changes upstream or in the ledger unless a listed fix is asked for.
 */
export async function reconcileCarrier(
  runtime: LedgerRuntime,
  module: IntegrationModule,
  options: { fix?: ReconciliationFix[]; onProgress?: (upstreamSeen: number) => void } = {},
): Promise<ReconciliationReport & { position: string }> {
  const id = randomUUID();
  const startedAt = new Date().toISOString();
  const s = runtime.settings.readModelSchema;
  const sql = runtime.stores.sql;
  const client = await runtime.carriers.clientFor(module, null);
  const counts = { paid_for_nothing: 0, broken_service: 0, wrong_module: 0, pending_order: 0, upstream: 0, ledger: 0 };
  const base = { id, module, scope: 'system', counts, fixes: [] as ReconciliationReport['fixes'], startedAt };
  if (!client.listNumbers) {
    return record(runtime, { ...base, status: 'unsupported', findings: [], completedAt: new Date().toISOString() });
  }
  await sql.exec(`CREATE TABLE IF NOT EXISTS ${s}.carrier_reconciliation_upstream (
    run_id text NOT NULL, number text NOT NULL, upstream_state text NOT NULL, PRIMARY KEY (run_id, number))`);
  try {
    for await (const page of client.listNumbers()) {
      await sql.query(
        `INSERT INTO ${s}.carrier_reconciliation_upstream (run_id, number, upstream_state)
         SELECT $1, p->>'number', p->>'upstreamState' FROM jsonb_array_elements($2::jsonb) p ON CONFLICT DO NOTHING`,
        [id, JSON.stringify(page)],
      );
      counts.upstream += page.length;
      options.onProgress?.(counts.upstream);
    }
    const findings = await compare(runtime, id, module);
    for (const f of findings) counts[f.kind]++;
    counts.ledger = Number((await sql.query<{ n: string }>(
      `SELECT count(*) AS n FROM ${s}.inventory WHERE carrier_module = $1 AND state = ANY($2::text[])`, [module, HELD],
    )).rows[0].n);
    const fixes = await applyFixes(runtime, module, findings, options.fix ?? []);
    return record(runtime, { ...base, status: 'completed', findings: findings.slice(0, MAX_FINDINGS), fixes, completedAt: new Date().toISOString() });
  } finally {
    await sql.query(`DELETE FROM ${s}.carrier_reconciliation_upstream WHERE run_id = $1`, [id]);
  }
}

async function compare(runtime: LedgerRuntime, runId: string, module: IntegrationModule): Promise<Finding[]> {
  const s = runtime.settings.readModelSchema;
  const rows = await runtime.stores.sql.query<{
    kind: FindingKind; number: string; ledger_module: string | null; ledger_state: string | null; upstream_state: string | null;
  }>(
    `WITH up AS (SELECT number, upstream_state FROM ${s}.carrier_reconciliation_upstream WHERE run_id = $1 AND NOT (upstream_state = ANY($3::text[])))
     SELECT CASE
              WHEN i.pending_order IS NOT NULL THEN 'pending_order'
              WHEN i.number IS NOT NULL AND i.carrier_module <> $2 THEN 'wrong_module'
              ELSE 'paid_for_nothing' END AS kind,
            up.number, i.carrier_module AS ledger_module, i.state AS ledger_state, up.upstream_state
       FROM up LEFT JOIN ${s}.inventory i ON i.number = up.number
      WHERE i.number IS NULL OR i.pending_order IS NOT NULL OR i.carrier_module <> $2 OR NOT (i.state = ANY($4::text[]))
     UNION ALL
     SELECT CASE WHEN i.pending_order IS NOT NULL THEN 'pending_order' ELSE 'broken_service' END,
            i.number, i.carrier_module, i.state, NULL
       FROM ${s}.inventory i
      WHERE i.carrier_module = $2 AND (i.state = ANY($4::text[]) OR i.pending_order IS NOT NULL)
        AND NOT EXISTS (SELECT 1 FROM up WHERE up.number = i.number)
     ORDER BY 2
     LIMIT ${MAX_FINDINGS + 1}`,
    [runId, module, GONE, HELD],
  );
  return rows.rows.map((r) => ({
    kind: r.kind, number: r.number, module, ledgerModule: r.ledger_module,
    ledgerState: r.ledger_state ?? 'absent', upstreamState: r.upstream_state ?? 'absent',
  }));
}

/** `disconnect_released_upstream`: numbers the ledger released (or never had) that the carrier still charges for. */
async function applyFixes(runtime: LedgerRuntime, module: IntegrationModule, findings: Finding[], fixes: ReconciliationFix[]) {
  const done: ReconciliationReport['fixes'] = [];
  if (!fixes.includes('disconnect_released_upstream')) return done;
  const client = await runtime.carriers.clientFor(module, null);
  for (const f of findings) {
    if (f.kind !== 'paid_for_nothing' || !RELEASED.includes(f.ledgerState)) continue;
    try {
      done.push({ fix: 'disconnect_released_upstream', number: f.number, result: await client.disconnect(f.number) });
    } catch (err) {
      done.push({ fix: 'disconnect_released_upstream', number: f.number, result: `failed: ${(err as Error).message}` });
    }
  }
  return done;
}

async function record(runtime: LedgerRuntime, report: ReconciliationReport): Promise<ReconciliationReport & { position: string }> {
  const result = await runtime.stores.events.append(`${RECONCILIATION_STREAM}${report.id}`, [{
    id: randomUUID(), type: RECONCILIATION_COMPLETED, data: report as unknown as Record<string, unknown>, metadata: { command: 'ReconcileCarriers' },
  }], 'no_stream');
  return { ...report, position: result.position };
}
