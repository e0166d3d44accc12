import { SqlExecutor } from '@ledger/sql/sql-client';
import { TaskAction } from '@ledger/domain/task/events';

/** A row of `tasks`: what `GET /v1/tasks/{id}` shows. */
export interface TaskRow {
  id: string;
  action: TaskAction;
  status: string;
  requester_id: string;
  dry_run: boolean;
  total: number;
  rows_done: number;
  succeeded: number;
  failed: number;
  output_bytes: number;
  submitted_at: Date | string;
  started_at: Date | string | null;
  finished_at: Date | string | null;
  error?: string | null;
}

/** Read side of the `tasks` read model. */
export class TaskQueries {
  constructor(private readonly sql: SqlExecutor, private readonly schema: string) {}

  /** The tasks not finished (pending or executing), in submission order. */
  async open(): Promise<string[]> {
    const { rows } = await this.sql.query<{ id: string }>(
      `SELECT id FROM ${this.schema}.tasks WHERE status IN ('pending', 'executing') ORDER BY submitted_at`,
    );
    return rows.map((r) => r.id);
  }

  async find(id: string): Promise<TaskRow | undefined> {
    const { rows } = await this.sql.query<TaskRow>(`SELECT * FROM ${this.schema}.tasks WHERE id = $1`, [id]);
    return rows[0];
  }
}
