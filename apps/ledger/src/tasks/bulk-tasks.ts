import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { Logger } from '@nestjs/common';
import { LedgerError } from '@ledger/domain/errors';
import { Requester } from '@ledger/domain/types';
import { LogPosition, WrongExpectedRevisionError } from '@ledger/event-store/port';
import {
  READ_ONLY_ACTIONS, TASK_ACTIONS, TaskAction, TaskState,
} from '@ledger/domain/task';
import { TaskQueries, TaskRow } from '@ledger/projections/tasks/queries';
import { exportColumns } from './inventory-export';
import { Outcome, TaskDeps, TaskExecutor, TaskOptions } from './task-executor';
import { TaskStorage } from './task-storage';
import { TaskJournal } from './task-journal';

export const DEFAULT_TASK_OPTIONS: TaskOptions = { bulkChunkRows: 2000, rowChunkRows: 100 };

/**
 * Bulk CSV tasks (SPEC 11): submission, a background worker that runs them one at a time,
 * and resumption of the tasks a crash or restart interrupted. The CLI runs tasks through
 * the same object in the foreground.
 */
export class BulkTasks {
  readonly workerId = randomUUID();
  readonly journal: TaskJournal;
  readonly storage: TaskStorage;
  readonly executor: TaskExecutor;
  private readonly queue: string[] = [];
  private loop: Promise<void> | null = null;
  private stopping = false;
  private readonly log = new Logger('tasks');

  constructor(private readonly deps: TaskDeps, options: TaskOptions = DEFAULT_TASK_OPTIONS) {
    this.journal = deps.journal;
    this.storage = deps.storage;
    this.executor = new TaskExecutor(deps, { ...options });
  }

  get options(): TaskOptions {
    return this.executor.options;
  }

  /**
   * Records a new task (its input stored first, refused above `uploadLimitBytes`); the caller
   * runs or enqueues it.
   */
  async submit(
    action: string, requester: Requester, input: Readable | null, dryRun: boolean, uploadLimitBytes: number | null = null,
  ): Promise<{ state: TaskState; position: LogPosition }> {
    if (!(TASK_ACTIONS as readonly string[]).includes(action)) {
      throw new LedgerError('validation_failed', `unknown action ${JSON.stringify(action)}; one of ${TASK_ACTIONS.join(', ')}`, { field: 'action' });
    }
    const id = randomUUID();
    const readOnly = READ_ONLY_ACTIONS.includes(action as TaskAction);
    if (!readOnly && !input) throw new LedgerError('validation_failed', `${action} needs a text/csv body with an e164 column`);
    const { columns, total } = readOnly ? { columns: exportColumns(action as TaskAction), total: 0 } : await this.storage.saveInput(id, input!, uploadLimitBytes);
    return this.journal.submit(id, { action: action as TaskAction, requester, dryRun, total, columns, at: new Date().toISOString() });
  }

  /** Claims and runs a task in the caller's process; 'stopped' when `shouldStop` interrupted it. */
  async run(id: string, shouldStop: () => boolean = () => this.stopping, onProgress?: (s: TaskState) => void): Promise<Outcome | 'skipped'> {
    const state = await this.journal.load(id);
    if (!state || !['pending', 'executing'].includes(state.status)) return 'skipped';
    try {
      await this.journal.start(state, this.workerId);
    } catch (err) {
      if (err instanceof WrongExpectedRevisionError) return 'skipped'; // another worker took it
      throw err;
    }
    if (!READ_ONLY_ACTIONS.includes(state.action) && !(await this.storage.hasInput(id))) {
      await this.journal.finish(state, {
        status: 'failure', total: state.total, succeeded: state.succeeded, failed: state.total - state.succeeded, outputBytes: state.outputBytes,
        error: 'the task\'s input is missing',
      });
      return 'finished';
    }
    return this.executor.run(state, shouldStop, onProgress);
  }

  /** Writes the task's output (as far as its last checkpoint) to a local file. */
  async saveOutput(id: string, path: string): Promise<void> {
    const state = await this.journal.load(id);
    await pipeline(this.storage.output(id, state?.outputBytes ?? 0), createWriteStream(path));
  }

  enqueue(id: string): void {
    this.queue.push(id);
    if (!this.loop && !this.stopping) this.loop = this.drain().finally(() => (this.loop = null));
  }

  /** Enqueues the unfinished tasks (after a restart; any instance on the database may take them). */
  async resumeOpen(): Promise<string[]> {
    const open = await this.tasks().open();
    open.forEach((id) => this.enqueue(id));
    return open;
  }

  /** Stops after the current chunk (or row); the interrupted task resumes on the next start. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.loop;
  }

  async find(id: string): Promise<TaskRow | undefined> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
    return this.tasks().find(id);
  }

  private tasks(): TaskQueries {
    return new TaskQueries(this.deps.sql, this.deps.schema);
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0 && !this.stopping) {
      const id = this.queue.shift()!;
      try {
        await this.run(id);
      } catch (err) {
        // Left `executing`: the next start resumes it from its last checkpoint.
        if (!this.stopping) this.log.error(`task ${id} interrupted: ${(err as Error).message}`);
      }
    }
  }
}
