import { RecordedEvent } from '@ledger/event-store/port';
import { SqlExecutor } from '@ledger/sql/sql-client';
import { Projection } from '../projection';
import { TASK_EVENT_TYPES, TASK_STREAM_PREFIX, taskEvents } from '@ledger/domain/task/events';

/** One row per bulk task: what `GET /v1/tasks/{id}` shows (status and progress counts). */
export class TasksProjection implements Projection {
  readonly name = 'tasks';
  readonly tables = [{ name: 'tasks', key: 'id' }];

  ddl(s: string): string {
    return `
      CREATE TABLE IF NOT EXISTS ${s}.tasks (
        id text PRIMARY KEY,
        action text NOT NULL,
        status text NOT NULL,
        requester_id text NOT NULL,
        dry_run boolean NOT NULL,
        total bigint NOT NULL,
        rows_done bigint NOT NULL DEFAULT 0,
        succeeded bigint NOT NULL DEFAULT 0,
        failed bigint NOT NULL DEFAULT 0,
        output_bytes bigint NOT NULL DEFAULT 0,
        submitted_at timestamptz NOT NULL,
        started_at timestamptz,
        finished_at timestamptz,
        updated_at timestamptz NOT NULL
      );
      ALTER TABLE ${s}.tasks ADD COLUMN IF NOT EXISTS error text;
      CREATE INDEX IF NOT EXISTS tasks_open ON ${s}.tasks (status) WHERE status IN ('pending', 'executing');
    `;
  }

  async apply(tx: SqlExecutor, events: RecordedEvent[], s: string): Promise<void> {
    for (const e of events) {
      if (!e.streamId.startsWith(TASK_STREAM_PREFIX)) continue;
      const id = e.streamId.slice(TASK_STREAM_PREFIX.length);
      await this.applyOne(tx, s, id, e);
    }
  }

  private async applyOne(tx: SqlExecutor, s: string, id: string, stored: RecordedEvent): Promise<void> {
    const e = taskEvents.read(stored);
    switch (e.type) {
      case TASK_EVENT_TYPES.TaskSubmitted: {
        const d = e.data;
        await tx.query(
          `INSERT INTO ${s}.tasks (id, action, status, requester_id, dry_run, total, submitted_at, updated_at)
           VALUES ($1, $2, 'pending', $3, $4, $5, $6, $6) ON CONFLICT (id) DO NOTHING`,
          [id, d.action, d.requester.accountId, d.dryRun, d.total, d.at],
        );
        return;
      }
      case TASK_EVENT_TYPES.TaskStarted: {
        const d = e.data;
        await tx.query(
          `UPDATE ${s}.tasks SET status = 'executing', started_at = COALESCE(started_at, $2), updated_at = $2 WHERE id = $1`,
          [id, d.at],
        );
        return;
      }
      case TASK_EVENT_TYPES.TaskProgressed: {
        const d = e.data;
        await tx.query(
          `UPDATE ${s}.tasks SET rows_done = $2, succeeded = $3, failed = $4, output_bytes = $5, updated_at = $6 WHERE id = $1`,
          [id, d.rowsDone, d.succeeded, d.failed, d.outputBytes, d.at],
        );
        return;
      }
      case TASK_EVENT_TYPES.TaskFinished: {
        const d = e.data;
        await tx.query(
          `UPDATE ${s}.tasks SET status = $2, total = $3, rows_done = $3, succeeded = $4, failed = $5, output_bytes = $6,
             finished_at = $7, updated_at = $7, error = $8 WHERE id = $1`,
          [id, d.status, d.total, d.succeeded, d.failed, d.outputBytes, d.at, d.error ?? null],
        );
        return;
      }
    }
  }
}
