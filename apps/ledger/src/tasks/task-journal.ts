import {
  TASK_STREAM_PREFIX, TaskCommand, taskDecider, TaskEvent, taskEvents, TaskFinished, TaskProgressed, TaskState, TaskStreamState, taskStreamId, TaskSubmitted,
} from '@ledger/domain/task';
import { CommandHandler } from '@ledger/event-store/command-handler';
import { EventStore, LogPosition } from '@ledger/event-store/port';

/**
 * The task aggregate on its stream `task-<id>` (the task decider). Every append is
 * guarded by the revision the caller last saw, so two workers can never both run one
 * task: a lost race is the caller's answer (`WrongExpectedRevisionError`), never retried.
 */
export class TaskJournal {
  private readonly handler: CommandHandler<TaskCommand, TaskEvent, TaskStreamState>;

  constructor(events: EventStore) {
    this.handler = new CommandHandler(events, (streamId) => taskDecider(streamId.slice(TASK_STREAM_PREFIX.length)), { codec: taskEvents, maxAttempts: 1 });
  }

  async submit(id: string, submitted: TaskSubmitted): Promise<{ state: TaskState; position: LogPosition }> {
    const done = await this.handler.handle(taskStreamId(id), { type: 'SubmitTask', submitted }, { metadata: this.metadata(id, submitted.requester.accountId) });
    return { state: done.newState!, position: done.position! };
  }

  async load(id: string): Promise<TaskState | undefined> {
    return (await this.handler.load(taskStreamId(id))).state;
  }

  /** Claims the task for `worker`; throws WrongExpectedRevisionError when another worker moved it first. */
  async start(state: TaskState, worker: string): Promise<void> {
    await this.record(state, { type: 'StartTask', worker, at: now() });
  }

  async progress(state: TaskState, p: Omit<TaskProgressed, 'at'>): Promise<void> {
    await this.record(state, { type: 'RecordTaskProgress', progress: { ...p, at: now() } });
  }

  async finish(state: TaskState, f: Omit<TaskFinished, 'at'>): Promise<LogPosition> {
    return this.record(state, { type: 'FinishTask', finished: { ...f, at: now() } });
  }

  /** Decided on the caller's state, which is updated in place (the executor holds it). */
  private async record(state: TaskState, command: TaskCommand): Promise<LogPosition> {
    const done = await this.handler.handle(taskStreamId(state.id), command, {
      metadata: this.metadata(state.id, state.requester.accountId),
      known: { state, revision: state.revision, position: null },
    });
    Object.assign(state, done.newState);
    return done.position!;
  }

  private metadata(taskId: string, actor: string) {
    return { actor, command: 'RunTask', taskId };
  }
}

const now = () => new Date().toISOString();
