import { RecordedEvent } from '@ledger/event-store/port';
import { SqlExecutor } from '@ledger/sql/sql-client';
import { Projection } from '../projection';

export const RECONCILIATION_STREAM = 'reconciliation-';
export const RECONCILIATION_COMPLETED = 'CarrierReconciliationCompleted.v1';

/**
 * `carrier_reconciliations`: one row per run (documented in docs/carriers.md):
 * id, module, scope, status, counts (jsonb), findings (jsonb array of
 * {kind, number, module, ledgerModule, ledgerState, upstreamState}), fixes, started_at, completed_at.
 */
export class ReconciliationsProjection implements Projection {
  readonly name = 'carrier_reconciliations';
  readonly tables = [{ name: 'carrier_reconciliations', key: 'id' }];

  ddl(s: string): string {
    return `
      CREATE TABLE IF NOT EXISTS ${s}.carrier_reconciliations (
        id text PRIMARY KEY,
        module text NOT NULL,
        scope text NOT NULL,
        status text NOT NULL,
        counts jsonb NOT NULL,
        findings jsonb NOT NULL,
        fixes jsonb NOT NULL DEFAULT '[]',
        started_at timestamptz NOT NULL,
        completed_at timestamptz NOT NULL
      );
      CREATE INDEX IF NOT EXISTS carrier_reconciliations_scope ON ${s}.carrier_reconciliations (scope, started_at);
    `;
  }

  async apply(tx: SqlExecutor, events: RecordedEvent[], schema: string): Promise<void> {
    for (const e of events) {
      if (!e.streamId.startsWith(RECONCILIATION_STREAM) || e.type !== RECONCILIATION_COMPLETED) continue;
      const d = e.data;
      await tx.query(
        `INSERT INTO ${schema}.carrier_reconciliations (id, module, scope, status, counts, findings, fixes, started_at, completed_at)
         VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7::jsonb, $8, $9) ON CONFLICT (id) DO NOTHING`,
        [d.id, d.module, d.scope, d.status, JSON.stringify(d.counts), JSON.stringify(d.findings), JSON.stringify(d.fixes ?? []), d.startedAt, d.completedAt],
      );
    }
  }
}
