import { Worker } from 'node:worker_threads';
import { appendSignalFor } from '@ledger/event-store/append-signal';
import type { AppliedBatch, Follower } from '@ledger/projections/projector';
import { REPLAY_YOUNG_GENERATION_MB } from '@ledger/projections/replay-heap';
import type { SqlClient } from '@ledger/sql/sql-client';
import type { LogLine } from './tokens';

/** What the projector thread needs to open its own projector (see projector-worker.ts). */
export interface ProjectorThreadData {
  databaseUrl: string;
  schema: string;
  coalesceMs: number;
}

/** From the thread: a batch it applied, or a failure of its follow loop (it retries). */
export type ProjectorThreadMessage = { kind: 'applied'; applied: AppliedBatch } | { kind: 'error'; error: string };

/** To the thread: something was appended in this process (read now), or stop. */
export type ProjectorThreadCommand = 'appended' | 'stop';

const RESTART_MS = 500;
const STOP_MS = 10_000;

/**
 * Follows the log in a worker thread with its own projector and connections to the same
 * database. Under the HTTP load this event loop is saturated, and every round trip of a
 * batch's transaction (a dozen) waited for a turn of it: the lag was that wait, not the
 * database. The thread tells this one what it applied (waits, caches and statuses follow)
 * and hears about local appends (so it reads at once instead of polling). A thread that
 * dies is started again.
 */
export class ProjectorThread implements Follower {
  private worker: Worker | null = null;
  private stopping = false;
  private unlisten: () => void = () => undefined;

  constructor(
    private readonly entry: string,
    private readonly data: ProjectorThreadData,
    private readonly sql: SqlClient,
    private readonly log: LogLine,
  ) {}

  start(heard: (applied: AppliedBatch) => void, failed: (err: Error) => void): void {
    this.stopping = false;
    const worker = newWorker(this.entry, this.data);
    worker.on('message', (m: ProjectorThreadMessage) => {
      if (m.kind === 'applied') heard(m.applied);
      else failed(new Error(m.error));
    });
    worker.on('error', (err) => {
      this.log(`projector thread failed: ${err.message}`);
      failed(err);
    });
    worker.once('exit', () => {
      this.unlisten();
      if (this.stopping) return;
      this.log('projector thread exited; starting it again');
      setTimeout(() => this.stopping || this.start(heard, failed), RESTART_MS);
    });
    const command = (c: ProjectorThreadCommand) => worker.postMessage(c);
    this.unlisten = appendSignalFor(this.sql).listen(() => command('appended'));
    this.worker = worker;
    this.log('projector thread started');
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.unlisten();
    const worker = this.worker;
    this.worker = null;
    if (!worker) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage('stop' satisfies ProjectorThreadCommand);
    const timer = setTimeout(() => void worker.terminate(), STOP_MS);
    await exited;
    clearTimeout(timer);
  }
}

/** A worker runs .js files only: TypeScript sources (a registered loader, inherited) are required from an eval'd line. */
function newWorker(entry: string, workerData: ProjectorThreadData): Worker {
  const resourceLimits = { maxYoungGenerationSizeMb: REPLAY_YOUNG_GENERATION_MB };
  if (!entry.endsWith('.ts')) return new Worker(entry, { workerData, resourceLimits });
  return new Worker(`require(${JSON.stringify(entry)})`, { eval: true, workerData, resourceLimits });
}
