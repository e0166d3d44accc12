import { randomUUID } from 'node:crypto';
import { EventStore, LogPosition } from '@ledger/event-store/port';
import {
  foldTask, TASK_EVENT_TYPES, TaskFinished, TaskProgressed, TaskState, taskStreamId, TaskSubmitted,
} from '@ledger/projections/tasks/task-events';

/**
 * The task aggregate on its stream `task-<id>`. Every append is guarded by the
 * revision the caller last saw, so two workers can never both run one task.
 */
export class TaskJournal {
  constructor(private readonly events: EventStore) {}

  async submit(id: string, submitted: TaskSubmitted): Promise<{ state: TaskState; position: LogPosition }> {
    const r = await this.events.append(taskStreamId(id), [this.event(id, TASK_EVENT_TYPES.TaskSubmitted, submitted, submitted.requester.accountId)], 'no_stream');
    return { state: foldTask(id, [{ type: TASK_EVENT_TYPES.TaskSubmitted, data: submitted as unknown as Record<string, unknown> }])!, position: r.position };
  }

  async load(id: string): Promise<TaskState | undefined> {
    return foldTask(id, await this.events.readStream(taskStreamId(id)));
  }

  /** Claims the task for `worker`; throws WrongExpectedRevisionError when another worker moved it first. */
  async start(state: TaskState, worker: string): Promise<void> {
    await this.append(state, TASK_EVENT_TYPES.TaskStarted, { worker, rowsDone: state.rowsDone, at: now() });
    state.status = 'executing';
  }

  async progress(state: TaskState, p: Omit<TaskProgressed, 'at'>): Promise<void> {
    await this.append(state, TASK_EVENT_TYPES.TaskProgressed, { ...p, at: now() });
    Object.assign(state, p);
  }

  async finish(state: TaskState, f: Omit<TaskFinished, 'at'>): Promise<LogPosition> {
    const position = await this.append(state, TASK_EVENT_TYPES.TaskFinished, { ...f, at: now() });
    Object.assign(state, { status: f.status, total: f.total, rowsDone: f.total, succeeded: f.succeeded, failed: f.failed, outputBytes: f.outputBytes, error: f.error ?? null });
    return position;
  }

  private async append(state: TaskState, type: string, data: object): Promise<LogPosition> {
    const r = await this.events.append(taskStreamId(state.id), [this.event(state.id, type, data, state.requester.accountId)], state.revision);
    state.revision = r.nextRevision;
    return r.position;
  }

  private event(taskId: string, type: string, data: object, actor: string) {
    return { id: randomUUID(), type, data: data as Record<string, unknown>, metadata: { actor, command: 'RunTask', taskId } };
  }
}

const now = () => new Date().toISOString();
