import type { Decider } from '../decider';
import { LedgerError } from '../errors';
import {
  TASK_EVENT_TYPES, type TaskEvent, type TaskFinished, type TaskProgressed, type TaskStatus, type TaskSubmitted,
} from './events';

/** A task's current state, folded from its stream (the worker resumes from this). */
export interface TaskState {
  id: string;
  action: TaskSubmitted['action'];
  requester: TaskSubmitted['requester'];
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

export type TaskCommand =
  | { type: 'SubmitTask'; submitted: TaskSubmitted }
  | { type: 'StartTask'; worker: string; at: string }
  | { type: 'RecordTaskProgress'; progress: TaskProgressed }
  | { type: 'FinishTask'; finished: TaskFinished };

/** Before its TaskSubmitted, a task stream has no state. */
export type TaskStreamState = TaskState | undefined;

const OPEN: readonly TaskStatus[] = ['pending', 'executing'];

/**
 * SPEC 11 (bulk operator tasks), in order:
 * 1. a task is submitted once, on a new stream;
 * 2. only an open task (pending or executing) is started, progressed or finished:
 *    a task that ended `success`, `partial` or `failure` is never run again;
 * 3. a start records the worker and the rows already done (a resume goes on from its checkpoint);
 * 4. progress and finish are recorded only on a started task.
 * (Two workers never both run one task: each append expects the revision its worker saw.)
 */
export function decideTask(command: TaskCommand, state: TaskStreamState): TaskEvent[] {
  if (command.type === 'SubmitTask') {
    if (state) throw refused(`task ${state.id} is submitted already`);
    return [{ type: TASK_EVENT_TYPES.TaskSubmitted, data: command.submitted }];
  }
  if (!state) throw new LedgerError('not_found', 'the task does not exist');
  if (!OPEN.includes(state.status)) throw refused(`task ${state.id} is ${state.status}`);
  switch (command.type) {
    case 'StartTask':
      return [{ type: TASK_EVENT_TYPES.TaskStarted, data: { worker: command.worker, rowsDone: state.rowsDone, at: command.at } }];
    case 'RecordTaskProgress':
      requireStarted(state);
      return [{ type: TASK_EVENT_TYPES.TaskProgressed, data: command.progress }];
    case 'FinishTask':
      requireStarted(state);
      return [{ type: TASK_EVENT_TYPES.TaskFinished, data: command.finished }];
  }
}

function requireStarted(state: TaskState): void {
  if (state.status !== 'executing') throw refused(`task ${state.id} has not started`);
}

function refused(why: string): LedgerError {
  return new LedgerError('invalid_state_transition', why);
}

/** Events before TaskSubmitted (none are written) leave the stream without state, as `foldTask` always did. */
export function evolveTask(id: string): (state: TaskStreamState, event: TaskEvent) => TaskStreamState {
  return (state, event) => {
    if (event.type === TASK_EVENT_TYPES.TaskSubmitted) {
      const s = event.data;
      return {
        id, action: s.action, requester: s.requester, dryRun: s.dryRun, columns: s.columns, status: 'pending', total: s.total,
        rowsDone: 0, succeeded: 0, failed: 0, outputBytes: 0, error: null, revision: state ? state.revision + 1 : 0,
      };
    }
    if (!state) return state;
    const revision = state.revision + 1;
    switch (event.type) {
      case TASK_EVENT_TYPES.TaskStarted: return { ...state, revision, status: 'executing' };
      case TASK_EVENT_TYPES.TaskProgressed: return { ...state, revision, ...progressOf(event.data) };
      case TASK_EVENT_TYPES.TaskFinished: {
        const f = event.data;
        return { ...state, revision, ...progressOf({ ...f, rowsDone: f.total }), status: f.status, total: f.total, error: f.error ?? null };
      }
    }
  };
}

function progressOf(p: TaskProgressed): Pick<TaskState, 'rowsDone' | 'succeeded' | 'failed' | 'outputBytes'> {
  return { rowsDone: p.rowsDone, succeeded: p.succeeded, failed: p.failed, outputBytes: p.outputBytes };
}

/** The task on stream `task-<id>` as a decider. */
export function taskDecider(id: string): Decider<TaskCommand, TaskEvent, TaskStreamState> {
  return { decide: decideTask, evolve: evolveTask(id), initialState: () => undefined };
}

/** A task folded from its stream's events (checked ones: see `taskEvents`). */
export function foldTask(id: string, events: TaskEvent[]): TaskStreamState {
  return events.reduce(evolveTask(id), undefined);
}
