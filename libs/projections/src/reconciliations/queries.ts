import { SqlExecutor } from '@ledger/sql/sql-client';

/** A stored run as the API shows it (times as ISO text); counts, findings and fixes as the run recorded them. */
export interface ReconciliationRow {
  id: string;
  module: string;
  scope: string;
  status: string;
  counts: Record<string, number>;
  findings: unknown[];
  fixes: unknown[];
  startedAt: string;
  completedAt: string;
}

const VIEW = `id, module, scope, status, counts, findings, fixes,
  to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "startedAt",
  to_char(completed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "completedAt"`;

/** Read side of `carrier_reconciliations`: the finished runs. */
export class ReconciliationQueries {
  constructor(private readonly sql: SqlExecutor, private readonly schema: string) {}

  /** The run, if it finished (none or one row). */
  async find(id: string): Promise<ReconciliationRow[]> {
    return this.stored('WHERE id = $1', [id]);
  }

  /** The `limit` newest runs, newest first. */
  async newest(limit: number): Promise<ReconciliationRow[]> {
    return this.stored(`ORDER BY started_at DESC LIMIT ${limit}`, []);
  }

  private async stored(where: string, values: unknown[]): Promise<ReconciliationRow[]> {
    const r = await this.sql.query<ReconciliationRow>(`SELECT ${VIEW} FROM ${this.schema}.carrier_reconciliations ${where}`, values);
    return r.rows;
  }
}
