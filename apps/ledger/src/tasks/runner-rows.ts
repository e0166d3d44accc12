import { LedgerError } from '@ledger/domain/errors';
import { numberStreamId } from '@ledger/domain/types';
import { DuplicateEventIdError, EventStore } from '@ledger/event-store/port';
import { NumberCommandRunner } from '../numbers/command-runner/number-command-runner';
import { RowContext } from './row-context';
import { errorText, PlannedRow, RowResult } from './task-rows';

/** Raised between rows when the worker is asked to stop: rows after the last checkpoint are replayed. */
export class TaskInterrupted extends Error {
  constructor() {
    super('task interrupted');
  }
}

/**
 * Applies rows one by one through the ordinary write path (the same runner HTTP commands use):
 * every action on every event store. Each row is one command with its own idempotency key.
 */
export class RunnerRows {
  constructor(
    private readonly runner: NumberCommandRunner,
    private readonly events: EventStore,
    private readonly ctx: RowContext,
    private readonly dryRun: boolean,
  ) {}

  async apply(rows: PlannedRow[], resuming: boolean, shouldStop: () => boolean): Promise<RowResult[]> {
    const results: RowResult[] = [];
    for (const row of rows) {
      if (shouldStop()) throw new TaskInterrupted();
      results.push(await this.applyRow(row, resuming));
    }
    return results;
  }

  async applyRow(row: PlannedRow, resuming: boolean): Promise<RowResult> {
    if (!row.command) return { result: 'error', error: row.error ?? 'invalid row' };
    try {
      if (this.dryRun) return await this.validate(row);
      let changed = resuming && (await this.wasApplied(row));
      if (!changed) changed = await this.runMain(row);
      if (row.features) {
        const outcome = await this.runner.run(row.e164!, { type: 'SetFeatures', changes: row.features }, this.ctx.meta(row, ':features'));
        changed = changed || outcome.events.length > 0;
      }
      return { result: changed ? 'success' : 'unchanged' };
    } catch (err) {
      if (err instanceof DuplicateEventIdError) return { result: 'success' }; // applied before a restart
      if (err instanceof LedgerError) return { result: 'error', error: errorText(err) };
      throw err;
    }
  }

  private async runMain(row: PlannedRow): Promise<boolean> {
    if (row.command!.type === 'AddNumber' && this.ctx.sameAsTarget(await this.runner.load(row.e164!), row.command)) return false;
    const outcome = await this.runner.run(row.e164!, row.command!, this.ctx.meta(row));
    return outcome.events.length > 0;
  }

  private async validate(row: PlannedRow): Promise<RowResult> {
    const record = await this.runner.load(row.e164!);
    this.ctx.dryDecide(row, record, await this.ctx.decisionContext());
    return { result: 'valid' };
  }

  /** The row's first event is in the number's stream: it was applied before the interruption. */
  private async wasApplied(row: PlannedRow): Promise<boolean> {
    const [id] = this.ctx.eventIds(row, 1);
    const stream = await this.events.readStream(numberStreamId(row.e164!));
    return stream.some((e) => e.id === id);
  }
}
