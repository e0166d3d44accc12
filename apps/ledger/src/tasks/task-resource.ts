import { TaskRow } from '@ledger/projections/tasks/queries';

const iso = (v: Date | string | null) => (v == null ? null : new Date(v).toISOString());

/** The task resource of API.md "Bulk tasks". */
export function present(t: TaskRow) {
  return {
    id: t.id,
    action: t.action,
    status: t.status,
    dryRun: t.dry_run,
    requester: t.requester_id,
    total: Number(t.total),
    processed: Number(t.rows_done),
    succeeded: Number(t.succeeded),
    failed: Number(t.failed),
    submittedAt: iso(t.submitted_at),
    startedAt: iso(t.started_at),
    finishedAt: iso(t.finished_at),
    error: t.error ?? null,
  };
}

export type TaskResource = ReturnType<typeof present>;
