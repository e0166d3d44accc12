import { decide, foldNumber, initialNumberRecord, readNumberEvents } from '@ledger/domain';
import { LedgerError } from '@ledger/domain/errors';
import { DecisionContext, numberStreamId } from '@ledger/domain/types';
import { appendMany, readStreams, StoredStream, StreamAppend } from '@ledger/event-store/sql-batch-append';
import { SqlClient } from '@ledger/sql/sql-client';
import { eventMetadata } from '../core/request-context';
import { RowContext } from './row-context';
import { RunnerRows } from './runner-rows';
import { errorText, PlannedRow, RowResult } from './task-rows';

/**
 * The fast path of `import` on the SQL event stores: a whole chunk of rows is read in one
 * query, decided by the same pure `decide` as every other write (so every SPEC rule holds
 * per number), and appended in one statement. Rows it cannot take (feature columns, a
 * stream that moved meanwhile) go through the ordinary per-row path.
 */
export class BulkAdd {
  constructor(
    private readonly sql: SqlClient,
    private readonly ctx: RowContext,
    private readonly perRow: RunnerRows,
    private readonly dryRun: boolean,
  ) {}

  async apply(rows: PlannedRow[], resuming: boolean, shouldStop: () => boolean): Promise<RowResult[]> {
    const results = new Map<PlannedRow, RowResult>();
    const fast = rows.filter((r) => r.command?.type === 'AddNumber' && !r.features);
    const stored = await readStreams(this.sql, fast.map((r) => numberStreamId(r.e164!)));
    const decision = await this.ctx.decisionContext();
    const appends = new Map<PlannedRow, StreamAppend>();
    for (const row of fast) {
      const outcome = this.decideRow(row, stored.get(numberStreamId(row.e164!)), decision);
      if ('append' in outcome) appends.set(row, outcome.append);
      else results.set(row, outcome);
    }
    const written = await this.append([...appends.values()]);
    for (const [row, append] of appends) {
      if (written.has(append.streamId)) results.set(row, { result: 'success' });
    }
    const rest = rows.filter((r) => !results.has(r));
    const restResults = await this.perRow.apply(rest, resuming, shouldStop);
    rest.forEach((r, i) => results.set(r, restResults[i]));
    return rows.map((r) => results.get(r)!);
  }

  private decideRow(row: PlannedRow, stream: StoredStream | undefined, decision: DecisionContext): RowResult | { append: StreamAppend } {
    const streamId = numberStreamId(row.e164!);
    if (stream && this.appliedBefore(row, stream)) return { result: 'success' };
    const record = stream
      ? foldNumber(row.e164!, readNumberEvents(stream.events))
      : initialNumberRecord(row.e164!);
    try {
      if (this.dryRun) {
        this.ctx.dryDecide(row, record, decision);
        return { result: 'valid' };
      }
      if (this.ctx.sameAsTarget(record, row.command!)) return { result: 'unchanged' };
      const decided = decide(row.e164!, row.command!, record, decision);
      if (decided.length === 0) return { result: 'unchanged' };
      const ids = this.ctx.eventIds(row, decided.length);
      const metadata = eventMetadata(this.ctx.meta(row), row.command!.type);
      return {
        append: {
          streamId,
          expected: stream ? stream.revision : 'no_stream',
          events: decided.map(({ type, ...data }, i) => ({ id: ids[i], type, data, metadata })),
        },
      };
    } catch (err) {
      if (err instanceof LedgerError) return { result: 'error', error: errorText(err) };
      throw err;
    }
  }

  /** The row's first event is in the stream already: it was applied before a restart. */
  private appliedBefore(row: PlannedRow, stream: StoredStream): boolean {
    const [firstId] = this.ctx.eventIds(row, 1);
    return stream.events.some((e) => e.id === firstId);
  }

  /** One statement; on an event-id clash (a replayed chunk) nothing is written and every row goes the per-row way. */
  private async append(appends: StreamAppend[]): Promise<Set<string>> {
    try {
      return (await appendMany(this.sql, appends)).written;
    } catch (err) {
      if ((err as { code?: string }).code === '23505') return new Set();
      throw err;
    }
  }
}
