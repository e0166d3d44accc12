import { randomUUID } from 'node:crypto';
import type { CarrierClient, IntegrationModule } from '@ledger/carriers';
import { CarrierComparison, InventoryQueries } from '@ledger/projections/inventory/queries';
import { RECONCILIATION_COMPLETED, RECONCILIATION_STREAM } from '@ledger/projections/reconciliations/projection';
import type { EventStore } from '@ledger/event-store/port';
import type { Projector } from '@ledger/projections/projector';
import type { SqlClient } from '@ledger/sql/sql-client';
import { SYSTEM_SCOPE } from '@ledger/domain/carrier-settings/events';

export const FIXES = ['disconnect_released_upstream'] as const;
export type ReconciliationFix = (typeof FIXES)[number];

export const FINDING_KINDS = ['paid_for_nothing', 'broken_service', 'wrong_module', 'pending_order'] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

export interface Finding {
  kind: FindingKind;
  number: string;
  module: IntegrationModule;
  /** The ledger's carrier module for the number; null when the ledger never had it, or it is `elsewhere`. */
  ledgerModule: string | null;
  /**
   * `absent` when the ledger never had the number; `elsewhere` (a reseller's run) when an
   * account outside the reseller's holds, orders or pools it: its state is not the reseller's to see.
   */
  ledgerState: string;
  /** `absent` when the carrier does not list it. */
  upstreamState: string;
}

export interface ReconciliationReport {
  id: string;
  module: IntegrationModule;
  /** `system`, or the reseller whose own carrier settings were used. */
  scope: string;
  /** `unsupported`: the carrier's API lists no numbers of the account. */
  status: 'completed' | 'unsupported';
  counts: Record<FindingKind | 'upstream' | 'ledger', number>;
  findings: Finding[];
  fixes: Array<{ fix: ReconciliationFix; number: string; result: string }>;
  startedAt: string;
  completedAt: string;
}

/** Which numbers of the ledger this carrier account answers for. */
export interface LedgerScope {
  scope: string;
  /** Reseller scope: only numbers held below this reseller. */
  holdersBelow: string | null;
  /** System scope: not the numbers held below resellers that bring their own account at this carrier. */
  notBelow: string[];
}

export interface Progress {
  upstreamSeen: number;
  pages: number;
}

/** Upstream statuses by which a carrier says it no longer charges for the number (Telnyx's words). */
const GONE = ['deleted', 'ported_out', 'purchase_failed', 'port_failed'];
const HELD = ['reserved', 'in_service', 'port_in'];
/** Ledger states of a number the ledger gave up (or deleted). */
const RELEASED = ['released', 'aging', 'available', 'deleted'];
const SETTLE_MS = 30_000;
/** Findings listed per run (all are counted). */
const MAX_FINDINGS = 10_000;

/** What a reconciliation reads and records: the inventory (settled first) and the reconciliation streams. */
export interface ReconciliationStores {
  sql: SqlClient;
  events: EventStore;
  projector: Projector;
}

/**
 * Compares what one carrier account lists with the ledger. The carrier's
 * pages go into a scratch table one page at a time and SQL compares them with
 * the inventory, so memory stays bounded whatever the count. Nothing changes
 * upstream or in the ledger unless a listed fix is asked for.
 */
export async function reconcileCarrier(
  stores: ReconciliationStores,
  module: IntegrationModule,
  client: CarrierClient,
  ledger: LedgerScope,
  options: { id?: string; fix?: ReconciliationFix[]; progress?: Progress } = {},
): Promise<ReconciliationReport & { position: string }> {
  const id = options.id ?? randomUUID();
  const progress = options.progress ?? { upstreamSeen: 0, pages: 0 };
  const startedAt = new Date().toISOString();
  const counts = { paid_for_nothing: 0, broken_service: 0, wrong_module: 0, pending_order: 0, upstream: 0, ledger: 0 };
  const base = { id, module, scope: ledger.scope, counts, fixes: [] as ReconciliationReport['fixes'], startedAt };
  if (!client.listNumbers) return record(stores, { ...base, status: 'unsupported', findings: [], completedAt: new Date().toISOString() });
  const s = stores.projector.schema;
  const sql = stores.sql;
  await sql.exec(`CREATE TABLE IF NOT EXISTS ${s}.carrier_reconciliation_upstream (
    run_id text NOT NULL, number text NOT NULL, upstream_state text NOT NULL, PRIMARY KEY (run_id, number))`);
  try {
    for await (const page of client.listNumbers()) {
      await sql.query(
        `INSERT INTO ${s}.carrier_reconciliation_upstream (run_id, number, upstream_state)
         SELECT $1, p->>'number', p->>'upstreamState' FROM jsonb_array_elements($2::jsonb) p ON CONFLICT DO NOTHING`,
        [id, JSON.stringify(page)],
      );
      progress.upstreamSeen += page.length;
      progress.pages++;
    }
    counts.upstream = progress.upstreamSeen;
    // The comparison reads the inventory: it must include every change recorded before the carrier's list was read
    // (the committed position, not the safe head, which other sessions' open transactions can hold back).
    await stores.projector.settle(await stores.events.committedPosition(), SETTLE_MS);
    Object.assign(counts, await countKinds(stores, id, module, ledger));
    const findings = await compare(stores, id, module, ledger, MAX_FINDINGS);
    const fixes = await applyFixes(client, findings, options.fix ?? []);
    return await record(stores, { ...base, status: 'completed', findings, fixes, completedAt: new Date().toISOString() });
  } finally {
    await sql.query(`DELETE FROM ${s}.carrier_reconciliation_upstream WHERE run_id = $1`, [id]);
  }
}

/** The comparison of this run's upstream list with the inventory (the queries live with the inventory read model). */
function comparison(stores: ReconciliationStores, runId: string, module: string, ledger: LedgerScope): CarrierComparison {
  return {
    upstreamTable: `${stores.projector.schema}.carrier_reconciliation_upstream`,
    runId, module, gone: GONE, held: HELD, holdersBelow: ledger.holdersBelow, notBelow: ledger.notBelow,
  };
}

const inventory = (stores: ReconciliationStores) => new InventoryQueries(stores.sql, stores.projector.schema);

async function countKinds(stores: ReconciliationStores, runId: string, module: IntegrationModule, ledger: LedgerScope) {
  const rows = await inventory(stores).reconciliationCounts(comparison(stores, runId, module, ledger));
  return Object.fromEntries(rows.map((row) => [row.kind, Number(row.n)]));
}

async function compare(stores: ReconciliationStores, runId: string, module: IntegrationModule, ledger: LedgerScope, limit: number): Promise<Finding[]> {
  const rows = await inventory(stores).reconciliationFindings(comparison(stores, runId, module, ledger), limit);
  return rows.map((r) => ({
    kind: r.kind, number: r.number, module, ledgerModule: r.ledger_module,
    ledgerState: r.ledger_state ?? 'absent', upstreamState: r.upstream_state ?? 'absent',
  }));
}

/** `disconnect_released_upstream`: numbers the ledger released that the carrier still charges for. */
async function applyFixes(client: CarrierClient, findings: Finding[], fixes: ReconciliationFix[]) {
  const done: ReconciliationReport['fixes'] = [];
  if (!fixes.includes('disconnect_released_upstream')) return done;
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

async function record(stores: ReconciliationStores, report: ReconciliationReport): Promise<ReconciliationReport & { position: string }> {
  const result = await stores.events.append(`${RECONCILIATION_STREAM}${report.id}`, [{
    id: randomUUID(), type: RECONCILIATION_COMPLETED, data: report as unknown as Record<string, unknown>,
    metadata: { command: 'ReconcileCarriers', scope: report.scope },
  }], 'no_stream');
  return { ...report, position: result.position };
}

export const systemScope = (notBelow: string[]): LedgerScope => ({ scope: SYSTEM_SCOPE, holdersBelow: null, notBelow });
