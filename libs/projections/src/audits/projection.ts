import { RecordedEvent } from '@ledger/event-store/port';
import { SqlExecutor } from '@ledger/sql/sql-client';
import { Projection } from '../projection';
import { AUDIT_EVENT_TYPES, AuditChunkApplied, AuditChunkPlanned, auditEvents, AuditStarted } from '@ledger/domain/audit/events';

/** Audits (`audits`, one row each) and their report lines (`audit_findings`, one per audited number that needs mention). */
export class AuditsProjection implements Projection {
  readonly name = 'audits';
  readonly tables = [
    { name: 'audits', key: 'id' },
    { name: 'audit_findings', key: 'audit_id, number' },
  ];

  ddl(s: string): string {
    return `
      CREATE TABLE IF NOT EXISTS ${s}.audits (
        id text PRIMARY KEY,
        account_id text NOT NULL,
        level text NOT NULL,
        site_ids text[] NOT NULL,
        scope text[] NOT NULL,
        status text NOT NULL,
        requested_by text NOT NULL,
        total integer,
        processed integer NOT NULL DEFAULT 0,
        started_at timestamptz NOT NULL,
        finished_at timestamptz,
        position text NOT NULL
      );
      CREATE INDEX IF NOT EXISTS audits_account ON ${s}.audits (account_id, started_at);
      CREATE INDEX IF NOT EXISTS audits_running ON ${s}.audits (status) WHERE status = 'running';
      CREATE TABLE IF NOT EXISTS ${s}.audit_findings (
        audit_id text NOT NULL,
        number text NOT NULL,
        kind text NOT NULL,
        account_id text,
        state_before text,
        used_by jsonb NOT NULL DEFAULT '[]',
        reason text,
        PRIMARY KEY (audit_id, number)
      );
      CREATE INDEX IF NOT EXISTS audit_findings_kind ON ${s}.audit_findings (audit_id, kind, number);
    `;
  }

  async apply(tx: SqlExecutor, events: RecordedEvent[], s: string): Promise<void> {
    for (const e of events) {
      if (!e.streamId.startsWith('audit-')) continue;
      const id = e.streamId.slice('audit-'.length);
      const event = auditEvents.read(e);
      switch (event.type) {
        case AUDIT_EVENT_TYPES.AuditStarted: await started(tx, s, event.data, e.position); break;
        case AUDIT_EVENT_TYPES.AuditScanned:
          await tx.query(`UPDATE ${s}.audits SET total = $2, position = $3 WHERE id = $1`, [id, event.data.total, e.position]);
          break;
        case AUDIT_EVENT_TYPES.AuditChunkPlanned: await planned(tx, s, id, event.data, e.position); break;
        case AUDIT_EVENT_TYPES.AuditChunkApplied: await applied(tx, s, id, event.data); break;
        case AUDIT_EVENT_TYPES.AuditCompleted:
          await tx.query(`UPDATE ${s}.audits SET status = 'completed', finished_at = $2, position = $3 WHERE id = $1`, [id, event.data.at, e.position]);
          break;
      }
    }
  }
}

async function started(tx: SqlExecutor, s: string, d: AuditStarted, position: string): Promise<void> {
  await tx.query(
    `INSERT INTO ${s}.audits (id, account_id, level, site_ids, scope, status, requested_by, started_at, position)
     VALUES ($1, $2, $3, $4, $5, 'running', $6, $7, $8) ON CONFLICT (id) DO NOTHING`,
    [d.id, d.accountId, d.level, d.siteIds, d.scope, d.requestedBy, d.at, position],
  );
}

async function planned(tx: SqlExecutor, s: string, id: string, d: AuditChunkPlanned, position: string): Promise<void> {
  await tx.query(`UPDATE ${s}.audits SET processed = $2, position = $3 WHERE id = $1`, [id, d.processed, position]);
  if (d.findings.length === 0) return;
  await tx.query(
    `INSERT INTO ${s}.audit_findings (audit_id, number, kind, account_id, state_before, used_by, reason)
     SELECT $1, f.number, f.kind, f."accountId", f."from", COALESCE(f."usedBy", '[]'), f.reason
     FROM jsonb_to_recordset($2::jsonb) AS f(number text, kind text, "accountId" text, "from" text, "usedBy" jsonb, reason text)
     ON CONFLICT (audit_id, number) DO UPDATE SET kind = EXCLUDED.kind, account_id = EXCLUDED.account_id,
       state_before = EXCLUDED.state_before, used_by = EXCLUDED.used_by, reason = EXCLUDED.reason`,
    [id, JSON.stringify(d.findings)],
  );
}

/** A planned change that failed is reported as a conflict, with the error code as the reason. */
async function applied(tx: SqlExecutor, s: string, id: string, d: AuditChunkApplied): Promise<void> {
  if (d.failures.length === 0) return;
  await tx.query(
    `UPDATE ${s}.audit_findings f SET kind = 'conflict', reason = x.code
     FROM jsonb_to_recordset($2::jsonb) AS x(number text, code text)
     WHERE f.audit_id = $1 AND f.number = x.number`,
    [id, JSON.stringify(d.failures)],
  );
}
