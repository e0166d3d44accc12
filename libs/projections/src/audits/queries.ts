import { UsageRef } from '@ledger/domain/types';
import { SqlExecutor } from '@ledger/sql/sql-client';

export interface AuditRow {
  id: string;
  account_id: string;
  level: string;
  site_ids: string[];
  scope: string[];
  status: 'running' | 'completed';
  requested_by: string;
  total: number | null;
  processed: number;
  started_at: string | Date;
  finished_at: string | Date | null;
  position: string;
}

export interface AuditFindingRow {
  audit_id: string;
  number: string;
  kind: string;
  account_id: string | null;
  state_before: string | null;
  used_by: UsageRef[];
  reason: string | null;
}

/** Read side of the `audits` read model: audits and their report lines. */
export class AuditQueries {
  constructor(private readonly sql: SqlExecutor, private readonly schema: string) {}

  async find(id: string): Promise<AuditRow | undefined> {
    return (await this.sql.query<AuditRow>(`SELECT * FROM ${this.schema}.audits WHERE id = $1`, [id])).rows[0];
  }

  /** The audits still running, oldest first. */
  async running(): Promise<string[]> {
    const r = await this.sql.query<{ id: string }>(`SELECT id FROM ${this.schema}.audits WHERE status = 'running' ORDER BY started_at`);
    return r.rows.map((row) => row.id);
  }

  /** How many findings of each kind the audit has. */
  async findingCounts(id: string): Promise<Array<{ kind: string; n: string }>> {
    const r = await this.sql.query<{ kind: string; n: string }>(
      `SELECT kind, count(*) AS n FROM ${this.schema}.audit_findings WHERE audit_id = $1 GROUP BY kind`, [id],
    );
    return r.rows;
  }

  /** The first `limit` findings of each kind (by number), in number order. */
  async findings(id: string, limit: number): Promise<AuditFindingRow[]> {
    const r = await this.sql.query<AuditFindingRow>(
      `SELECT * FROM (SELECT f.*, row_number() OVER (PARTITION BY kind ORDER BY number) AS k FROM ${this.schema}.audit_findings f WHERE audit_id = $1) x
     WHERE k <= $2 ORDER BY number`,
      [id, limit],
    );
    return r.rows;
  }
}
