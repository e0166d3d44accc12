import { createReadStream, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { TaskState } from '@ledger/domain/task';
import { CliIo } from '../cli-io';
import { CliError, LedgerSession } from '../ledger-session';
import { projectWithProgress } from './project-with-progress';

export interface TaskRunOptions {
  as?: string;
  dryRun?: boolean;
  output?: string;
}

/** Read-only tasks whose CSV is the answer: printed on stdout unless `-o FILE` is given. */
const EXPORTS = new Set(['list', 'dump']);

/** Exit codes of task commands: 0 success, 3 partial, 1 failure. */
const EXIT = { success: 0, partial: 3, failure: 1 } as const;

/**
 * Submits a task and runs it in this process with a progress bar: the same task the HTTP
 * API runs (same rows, same rules, same output, resumable). Ctrl-C stops at a row boundary;
 * running the service (or this command's `resume`) later finishes it.
 */
export async function runTask(session: LedgerSession, io: CliIo, action: string, input: Readable | null, options: TaskRunOptions): Promise<number> {
  const tasks = session.tasks;
  const { state } = await tasks.submit(action, session.requester(options.as), input, options.dryRun ?? false);
  io.err(`task ${state.id}: ${action}${state.dryRun ? ' (dry run)' : ''}, ${state.total} rows`);
  return followTask(session, io, state.id, options.output);
}

export async function followTask(session: LedgerSession, io: CliIo, id: string, output?: string): Promise<number> {
  const tasks = session.tasks;
  if (!(await tasks.journal.load(id))) throw new CliError(`no task ${JSON.stringify(id.slice(0, 64))}`);
  let interrupted = false;
  const onSigint = () => (interrupted = true);
  process.once('SIGINT', onSigint);
  const bar = io.progress();
  const initial = await tasks.journal.load(id);
  bar.start(initial?.total ?? 0, initial?.action ?? 'task');
  try {
    const outcome = await tasks.run(id, () => interrupted, (s: TaskState) => bar.update(s.rowsDone, Math.max(s.total, s.rowsDone)));
    const done = (await tasks.journal.load(id))!;
    bar.update(done.rowsDone, Math.max(done.total, done.rowsDone));
    bar.stop();
    if (outcome !== 'stopped' && !done.dryRun) await projectWithProgress(session, io, 'projecting', done.succeeded);
    await session.settle(null);
    const final = (await tasks.journal.load(id))!;
    if (outcome === 'stopped') {
      io.err(`task ${id} stopped after ${final.rowsDone} rows; resume with: ledger resume ${id}`);
      return 130;
    }
    const file = output ?? join(session.settings.dataDir, 'tasks', id, 'output.csv');
    mkdirSync(dirname(file), { recursive: true });
    await tasks.saveOutput(id, file);
    const summary = JSON.stringify({
      id, action: final.action, status: final.status, dryRun: final.dryRun, total: final.total, succeeded: final.succeeded, failed: final.failed,
      ...(final.error ? { error: final.error } : {}), output: file,
    });
    if (EXPORTS.has(final.action) && !output) {
      for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) io.out(line);
      io.err(summary);
    } else io.out(summary);
    return EXIT[final.status as keyof typeof EXIT] ?? 1;
  } finally {
    bar.stop();
    process.off('SIGINT', onSigint);
  }
}
