import { Projector } from '@ledger/projections/projector';
import { CliIo } from '../cli-io';
import { LedgerSession } from '../ledger-session';

/**
 * Brings the read models up to the log with a progress bar. The CLI runs no projector
 * loop, so after a task its events are projected here; without a bar this stage looked
 * like a hang after the task's 100%. `expected` is an estimate (e.g. the rows applied);
 * the bar ends at what was really applied.
 */
export async function projectWithProgress(session: LedgerSession, io: CliIo, label: string, expected: number): Promise<number> {
  const bar = io.progress();
  bar.start(expected, label);
  try {
    const applied = await session.get(Projector).catchUp((n) => bar.update(n, Math.max(expected, n)));
    bar.update(applied, applied);
    return applied;
  } finally {
    bar.stop();
  }
}
