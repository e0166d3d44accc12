import type { DomainEvent } from '../decider';
import { envelopeCodec } from '../events/stored-event';
import type { Requester } from '../types';

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

export type TaskEvent =
  | DomainEvent<typeof TASK_EVENT_TYPES.TaskSubmitted, TaskSubmitted>
  | DomainEvent<typeof TASK_EVENT_TYPES.TaskStarted, TaskStarted>
  | DomainEvent<typeof TASK_EVENT_TYPES.TaskProgressed, TaskProgressed>
  | DomainEvent<typeof TASK_EVENT_TYPES.TaskFinished, TaskFinished>;

const COUNTS = { succeeded: 'number', failed: 'number', outputBytes: 'number', at: 'string' } as const;

export const taskEvents = envelopeCodec<TaskEvent>({
  [TASK_EVENT_TYPES.TaskSubmitted]: { action: 'string', requester: 'object', dryRun: 'boolean', total: 'number', columns: 'array', at: 'string' },
  [TASK_EVENT_TYPES.TaskStarted]: { worker: 'string', rowsDone: 'number', at: 'string' },
  [TASK_EVENT_TYPES.TaskProgressed]: { ...COUNTS, rowsDone: 'number' },
  [TASK_EVENT_TYPES.TaskFinished]: { ...COUNTS, status: 'string', total: 'number', error: 'string?' },
});

/** success: no row failed; failure: every row failed; partial: some did. */
export function finalStatus(succeeded: number, failed: number): TaskFinished['status'] {
  if (failed === 0) return 'success';
  return succeeded === 0 ? 'failure' : 'partial';
}
