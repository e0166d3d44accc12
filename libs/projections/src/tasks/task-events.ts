import { Requester } from '@ledger/domain/types';

/** Bulk CSV tasks (SPEC 11): the task aggregate lives on stream `task-<id>`. */
export const TASK_ACTIONS = ['import', 'assign_to', 'reserve', 'release', 'delete', 'list', 'dump'] as const;
export type TaskAction = (typeof TASK_ACTIONS)[number];
/** Actions that read the inventory instead of taking an input file. */
export const READ_ONLY_ACTIONS: readonly TaskAction[] = ['list', 'dump'];

export const TASK_STATUSES = ['pending', 'executing', 'success', 'partial', 'failure'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export const TASK_EVENT_TYPES = {
  TaskSubmitted: 'TaskSubmitted.v1',
  TaskStarted: 'TaskStarted.v1',
  TaskProgressed: 'TaskProgressed.v1',
  TaskFinished: 'TaskFinished.v1',
} as const;

export const TASK_STREAM_PREFIX = 'task-';
export const taskStreamId = (id: string): string => `${TASK_STREAM_PREFIX}${id}`;

export interface TaskSubmitted {
  action: TaskAction;
  requester: Requester;
  dryRun: boolean;
  /** Data rows in the input (0 for list / dump until they finish). */
  total: number;
  columns: string[];
  at: string;
}

/** A worker took the task (first start or resume after a restart). */
export interface TaskStarted {
  worker: string;
  rowsDone: number;
  at: string;
}

/** Checkpoint: rows before `rowsDone` are applied and their output is in the first `outputBytes` bytes. */
export interface TaskProgressed {
  rowsDone: number;
  succeeded: number;
  failed: number;
  outputBytes: number;
  at: string;
}

export interface TaskFinished extends Omit<TaskProgressed, 'rowsDone'> {
  status: Exclude<TaskStatus, 'pending' | 'executing'>;
  total: number;
  /** Why the task as a whole failed (a malformed CSV, a missing input); rows' own errors are in the output. */
  error?: string;
}

/** A task's current state, folded from its stream (the worker resumes from this). */
export interface TaskState {
  id: string;
  action: TaskAction;
  requester: Requester;
  dryRun: boolean;
  columns: string[];
  status: TaskStatus;
  total: number;
  rowsDone: number;
  succeeded: number;
  failed: number;
  outputBytes: number;
  error: string | null;
  /** Last revision of the task stream (for guarded appends). */
  revision: number;
}

export function foldTask(id: string, events: Array<{ type: string; data: Record<string, unknown> }>): TaskState | undefined {
  let state: TaskState | undefined;
  events.forEach((e, revision) => {
    if (e.type === TASK_EVENT_TYPES.TaskSubmitted) {
      const s = e.data as unknown as TaskSubmitted;
      state = { id, action: s.action, requester: s.requester, dryRun: s.dryRun, columns: s.columns, status: 'pending', total: s.total, rowsDone: 0, succeeded: 0, failed: 0, outputBytes: 0, error: null, revision };
      return;
    }
    if (!state) return;
    state.revision = revision;
    if (e.type === TASK_EVENT_TYPES.TaskStarted) state.status = 'executing';
    if (e.type === TASK_EVENT_TYPES.TaskProgressed) Object.assign(state, pickProgress(e.data as unknown as TaskProgressed));
    if (e.type === TASK_EVENT_TYPES.TaskFinished) {
      const f = e.data as unknown as TaskFinished;
      Object.assign(state, pickProgress({ ...f, rowsDone: f.total }), { status: f.status, total: f.total, error: f.error ?? null });
    }
  });
  return state;
}

function pickProgress(p: TaskProgressed): Pick<TaskState, 'rowsDone' | 'succeeded' | 'failed' | 'outputBytes'> {
  return { rowsDone: p.rowsDone, succeeded: p.succeeded, failed: p.failed, outputBytes: p.outputBytes };
}

/** success: no row failed; failure: every row failed; partial: some did. */
export function finalStatus(succeeded: number, failed: number): TaskFinished['status'] {
  if (failed === 0) return 'success';
  return succeeded === 0 ? 'failure' : 'partial';
}
