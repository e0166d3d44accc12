import { evolve, numberEvents } from '@ledger/domain';
import { LedgerError } from '@ledger/domain/errors';
import { NumberEvent, numberStreamId } from '@ledger/domain/types';
import { DuplicateEventIdError, EventStore, NewEvent, WrongExpectedRevisionError } from '@ledger/event-store/port';
import { eventMetadata } from '../core/request-context';
import { BillableNumberLimit } from '../numbers/command-runner/billable-limit';
import { NumberCommandRunner } from '../numbers/command-runner/number-command-runner';
import { RowContext } from './row-context';
import { errorText, PlannedRow, RowResult } from './task-rows';

/** Raised between rows when the worker is asked to stop: rows after the last checkpoint are replayed. */
export class TaskInterrupted extends Error {
  constructor() {
    super('task interrupted');
  }
}

/** Attempts of a feature row's single append when a concurrent change wins (as the runner's). */
const MAX_ATTEMPTS = 4;

/**
 * Applies rows one by one through the ordinary write path (the same runner HTTP commands use):
 * every action on every event store. Each row is one command with its own idempotency key.
 * A row with feature columns is two commands decided as one: the feature change is decided on
 * the record the row's command leads to, and both go in one append (a row applies whole or
 * not at all), unless a carrier must be called first (see `applyWhole`).
 */
export class RunnerRows {
  constructor(
    private readonly runner: NumberCommandRunner,
    private readonly events: EventStore,
    private readonly ctx: RowContext,
    private readonly dryRun: boolean,
    /** The billable-number limit the runner checks (none without a read model to count on). */
    private readonly limits: BillableNumberLimit | null = null,
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
      const applied = resuming && (await this.wasApplied(row));
      if (row.features && !applied) return await this.applyWhole(row);
      const changed = applied || (await this.runMain(row));
      // Resumed: the row's command is in; a row applied before this release had its features apart.
      if (row.features) await this.runFeatures(row);
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

  private async runFeatures(row: PlannedRow): Promise<boolean> {
    const outcome = await this.runner.run(row.e164!, { type: 'SetFeatures', changes: row.features! }, this.ctx.meta(row, ':features'));
    return outcome.events.length > 0;
  }

  /**
   * A row with feature columns: the command and the feature change decided together on the
   * number as stored (the dry run's decision), so a refusal of either appends nothing; then
   * the billable limit, and all the row's events in one append under the stream's revision
   * (a lost race decides again). When recording them needs a carrier call first (ordering a
   * number, syncing e911/CNAM upstream), only the runner may make it: the row, already
   * decided whole, then goes through the runner command by command.
   */
  private async applyWhole(row: PlannedRow): Promise<RowResult> {
    const e164 = row.e164!;
    const streamId = numberStreamId(e164);
    for (let attempt = 1; ; attempt++) {
      const record = await this.runner.load(e164);
      const decision = await this.ctx.decisionContext();
      const { main, features } = this.ctx.decideRow(row, record, decision);
      const events = [...main, ...features];
      if (events.length === 0) return { result: 'unchanged' };
      if (this.runner.needsUpstream(record, events)) {
        const changed = main.length > 0 && (await this.runMain(row));
        return { result: (await this.runFeatures(row)) || changed ? 'success' : 'unchanged' };
      }
      await this.limits?.check(record, events.reduce(evolve, record), decision.config);
      try {
        await this.events.append(streamId, this.toNew(row, main, features), record.version === 0 ? 'no_stream' : record.version - 1);
        return { result: 'success' };
      } catch (err) {
        if (!(err instanceof WrongExpectedRevisionError)) throw err;
        if (attempt >= MAX_ATTEMPTS) throw new LedgerError('concurrency_conflict', `a concurrent change to ${e164} won; retry`);
      }
    }
  }

  /** The row's events with ids from its key (a replay finds them); each with the command it came from. */
  private toNew(row: PlannedRow, main: NumberEvent[], features: NumberEvent[]): NewEvent[] {
    const ids = this.ctx.eventIds(row, main.length + features.length);
    const mainMeta = eventMetadata(this.ctx.meta(row), row.command!.type);
    const featuresMeta = eventMetadata(this.ctx.meta(row, ':features'), 'SetFeatures');
    return [
      ...main.map((event) => ({ ...numberEvents.write(event), metadata: mainMeta })),
      ...features.map((event) => ({ ...numberEvents.write(event), metadata: featuresMeta })),
    ].map((event, i) => ({ id: ids[i], ...event }));
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
