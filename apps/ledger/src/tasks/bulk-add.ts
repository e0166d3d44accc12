import { decide, evolve, foldNumber, initialNumberRecord } from '@ledger/domain';
import { LedgerError } from '@ledger/domain/errors';
import { DecisionContext, NumberEvent, NumberRecord, numberStreamId } from '@ledger/domain/types';
import { DuplicateEventIdError, EventMetadata, EventStore, StreamAppend } from '@ledger/event-store/port';
import { eventMetadata } from '../core/request-context';
import { NumberCommandRunner, toNumberEvents } from '../numbers/command-runner/number-command-runner';
import { BillableTally } from './billable-tally';
import { RowContext } from './row-context';
import { RunnerRows } from './runner-rows';
import { errorText, PlannedRow, RowResult } from './task-rows';

/** Streams read at once when rows need their number's current state. */
const READS_IN_FLIGHT = 16;

/** A row decided to an append, with what the append would change (for the limit's tally). */
interface Decided {
  row: PlannedRow;
  append: StreamAppend;
  before: NumberRecord;
  after: NumberRecord;
}

/**
 * The fast path of `import`: a whole chunk of rows is decided by the same pure `decide` as
 * every other write (so every SPEC rule holds per number), with the same billable-number
 * limit as a command, and appended in one `appendMany`. First every row is taken to add a
 * new number (the usual import), guarded by `no_stream`; the rows whose number exists, or
 * that the limit or an error concern, are decided again on their stream as read; what is
 * left (feature columns, carrier calls, a stream that moved meanwhile) goes row by row.
 */
export class BulkAdd {
  /** False once most rows of a chunk named numbers that exist (a re-import): the next chunk reads first. */
  private mostlyNew = true;
  /**
   * Event metadata by command type: the same for every row of the task (the row's key only
   * seeds its event ids), so one object, which the store then encodes once per call.
   */
  private readonly metadata = new Map<string, EventMetadata>();

  constructor(
    private readonly events: EventStore,
    private readonly runner: NumberCommandRunner,
    private readonly ctx: RowContext,
    private readonly perRow: RunnerRows,
    private readonly tally: BillableTally | null,
    private readonly dryRun: boolean,
  ) {}

  async apply(rows: PlannedRow[], resuming: boolean, shouldStop: () => boolean): Promise<RowResult[]> {
    const results = new Map<PlannedRow, RowResult>();
    const decision = await this.ctx.decisionContext();
    let fast = rows.filter((r) => r.command?.type === 'AddNumber' && !r.features);
    const asNew = !this.dryRun && this.mostlyNew;
    if (asNew) fast = await this.addAsNew(fast, decision, results);
    await this.addOnStored(fast, decision, results, !asNew && !this.dryRun);
    const rest = rows.filter((r) => !results.has(r));
    const restResults = await this.perRow.apply(rest, resuming, shouldStop);
    rest.forEach((r, i) => results.set(r, restResults[i]));
    return rows.map((r) => results.get(r)!);
  }

  /** Rows decided on a number that does not exist yet; answers the rows to decide on their stream. */
  private async addAsNew(rows: PlannedRow[], decision: DecisionContext, results: Map<PlannedRow, RowResult>): Promise<PlannedRow[]> {
    const again: PlannedRow[] = [];
    const decided: Decided[] = [];
    for (const row of rows) {
      const d = this.decideNew(row, decision);
      if (d) decided.push(d);
      else again.push(row);
    }
    const { appended, conflicts } = await this.appendAll(decided);
    this.mostlyNew = conflicts.size * 2 <= decided.length;
    for (const { row, append } of decided) {
      // Appended includes a retry of the row's own events (a chunk replayed after a restart).
      if (appended.has(append.streamId)) results.set(row, { result: 'success' });
      else if (conflicts.has(append.streamId)) again.push(row);
    }
    return again;
  }

  private decideNew(row: PlannedRow, decision: DecisionContext): Decided | null {
    const before = initialNumberRecord(row.e164!);
    let events: NumberEvent[];
    try {
      events = decide(row.e164!, row.command!, before, decision);
    } catch {
      return null; // an error is only answered on the number's real state
    }
    const after = events.reduce(evolve, before);
    if (events.length === 0 || this.runner.needsUpstream(before, events) || this.tally?.applies(before, after, decision.config)) return null;
    return { row, before, after, append: this.appendOf(row, events, 'no_stream') };
  }

  /** Rows decided on their number's stream as read now. */
  private async addOnStored(rows: PlannedRow[], decision: DecisionContext, results: Map<PlannedRow, RowResult>, judge: boolean): Promise<void> {
    const records = await this.load(rows);
    if (judge) this.mostlyNew = records.filter((r) => r.record.version === 0).length * 2 > rows.length;
    const decided: Decided[] = [];
    for (const [i, row] of rows.entries()) {
      const outcome = await this.decideStored(row, records[i], decision);
      if (outcome === 'per-row') continue;
      if ('append' in outcome) decided.push(outcome);
      else results.set(row, outcome);
    }
    const { appended } = await this.appendAll(decided);
    for (const d of decided) {
      if (appended.has(d.append.streamId)) results.set(d.row, { result: 'success' });
      else this.tally?.untake(d.before, d.after, decision.config); // moved meanwhile: row by row
    }
  }

  private async decideStored(
    row: PlannedRow, stored: { record: NumberRecord; eventIds: Set<string> }, decision: DecisionContext,
  ): Promise<RowResult | Decided | 'per-row'> {
    const { record } = stored;
    const [firstId] = this.ctx.eventIds(row, 1);
    if (stored.eventIds.has(firstId)) return { result: 'success' }; // applied before a restart
    try {
      if (this.dryRun) {
        this.ctx.dryDecide(row, record, decision);
        return { result: 'valid' };
      }
      if (this.ctx.sameAsTarget(record, row.command!)) return { result: 'unchanged' };
      const events = decide(row.e164!, row.command!, record, decision);
      if (events.length === 0) return { result: 'unchanged' };
      if (this.runner.needsUpstream(record, events)) return 'per-row';
      const after = events.reduce(evolve, record);
      await this.tally?.take(record, after, decision.config);
      return { row, before: record, after, append: this.appendOf(row, events, record.version === 0 ? 'no_stream' : record.version - 1) };
    } catch (err) {
      if (err instanceof LedgerError) return { result: 'error', error: errorText(err) };
      throw err;
    }
  }

  private appendOf(row: PlannedRow, events: NumberEvent[], expected: StreamAppend['expected']): StreamAppend {
    const ids = this.ctx.eventIds(row, events.length);
    const command = row.command!.type;
    let metadata = this.metadata.get(command);
    if (!metadata) this.metadata.set(command, (metadata = eventMetadata(this.ctx.meta(row), command)));
    return { streamId: numberStreamId(row.e164!), expected, events: events.map(({ type, ...data }, i) => ({ id: ids[i], type, data, metadata })) };
  }

  /** The rows' numbers as their streams hold them, READS_IN_FLIGHT streams at a time. */
  private async load(rows: PlannedRow[]): Promise<Array<{ record: NumberRecord; eventIds: Set<string> }>> {
    const loaded = new Array<{ record: NumberRecord; eventIds: Set<string> }>(rows.length);
    let next = 0;
    const reader = async () => {
      for (let i = next++; i < rows.length; i = next++) {
        const stream = await this.events.readStream(numberStreamId(rows[i].e164!));
        const record = foldNumber(rows[i].e164!, toNumberEvents(stream));
        loaded[i] = { record, eventIds: new Set(stream.map((e) => e.id)) };
      }
    };
    await Promise.all(Array.from({ length: Math.min(READS_IN_FLIGHT, rows.length) }, reader));
    return loaded;
  }

  /** One call; on an event id stored elsewhere nothing is taken as written and every row goes the per-row way. */
  private async appendAll(decided: Decided[]): Promise<{ appended: Set<string>; conflicts: Set<string> }> {
    if (decided.length === 0) return { appended: new Set(), conflicts: new Set() };
    try {
      const result = await this.events.appendMany(decided.map((d) => d.append));
      return { appended: new Set(result.appended.keys()), conflicts: result.conflicts };
    } catch (err) {
      if (err instanceof DuplicateEventIdError) return { appended: new Set(), conflicts: new Set() };
      throw err;
    }
  }
}
