import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { CsvError, Parser } from 'csv-parse';
import { EventStore } from '@ledger/event-store/port';
import { ProjectionFailedError } from '@ledger/projections/projection-failure';
import { ProjectionLagError, Projector } from '@ledger/projections/projector';
import { finalStatus, READ_ONLY_ACTIONS, TaskState } from '@ledger/domain/task';
import { SqlClient } from '@ledger/sql/sql-client';
import { AccountTree } from '../accounts/account-tree';
import { NumberManagerConfigStore } from '../config/number-manager-config.store';
import { BillableNumberLimit } from '../numbers/command-runner/billable-limit';
import { NumberCommandRunner } from '../numbers/command-runner/number-command-runner';
import { BillableTally } from './billable-tally';
import { BulkAdd } from './bulk-add';
import { ChunkPipeline, PIPELINE_DEPTH } from './chunk-pipeline';
import { csvLine } from '../core/csv-line';
import { exportColumns, inventoryPages } from './inventory-export';
import { RowContext } from './row-context';
import { RunnerRows, TaskInterrupted } from './runner-rows';
import { TaskOutput, TaskStorage } from './task-storage';
import { TaskJournal } from './task-journal';
import { PlannedRow, RowPlanner, RowResult } from './task-rows';

export interface TaskDeps {
  journal: TaskJournal;
  storage: TaskStorage;
  runner: NumberCommandRunner;
  events: EventStore;
  accounts: AccountTree;
  config: NumberManagerConfigStore;
  /** Read models. */
  sql: SqlClient;
  schema: string;
  /** The billable-number limit commands check (none without a read model to count on). */
  limits: BillableNumberLimit | null;
  /** Applies the log to the read models an export reads. */
  projector: Projector;
}

export interface TaskOptions {
  /** Rows per chunk (one checkpoint each) on the batched import path. */
  bulkChunkRows: number;
  /** Rows per chunk on the per-row path. */
  rowChunkRows: number;
}

export type Outcome = 'finished' | 'stopped';

/**
 * Runs one task from its last checkpoint to the end: reads the input as a stream, applies
 * it chunk by chunk, appends each chunk's output, then records a checkpoint (rows done,
 * counts, output bytes). After a crash the output is cut back to the checkpoint and the
 * rows after it are replayed; their idempotency keys make the replay apply nothing twice.
 */
export class TaskExecutor {
  constructor(private readonly deps: TaskDeps, readonly options: TaskOptions) {}

  async run(state: TaskState, shouldStop: () => boolean, onProgress?: (s: TaskState) => void): Promise<Outcome> {
    const out = await this.deps.storage.openOutput(state.id, READ_ONLY_ACTIONS.includes(state.action) ? 0 : state.outputBytes);
    try {
      if (READ_ONLY_ACTIONS.includes(state.action)) return await this.export(state, out, shouldStop, onProgress);
      return await this.applyRows(state, out, shouldStop, onProgress);
    } catch (err) {
      if (err instanceof TaskInterrupted) return 'stopped';
      if (err instanceof CsvError) return this.failMalformed(state, err, onProgress);
      throw err;
    }
  }

  /**
   * A CSV that cannot be read on fails the task as a whole: the rows before the bad spot are
   * applied and in the output (as of the last checkpoint), the rest count as failed. A resume
   * meets the same spot, so it ends the same way instead of leaving the task `executing`.
   */
  private async failMalformed(state: TaskState, err: CsvError, onProgress?: (s: TaskState) => void): Promise<Outcome> {
    const total = Math.max(state.total, state.rowsDone);
    await this.deps.journal.finish(state, {
      status: 'failure', total, succeeded: state.succeeded, failed: total - state.succeeded, outputBytes: state.outputBytes,
      error: `malformed CSV after row ${state.rowsDone}: ${err.message}`,
    });
    onProgress?.(state);
    return 'finished';
  }

  private async applyRows(state: TaskState, out: TaskOutput, shouldStop: () => boolean, onProgress?: (s: TaskState) => void): Promise<Outcome> {
    let bytes = state.outputBytes;
    if (bytes === 0) bytes += await write(out, csvLine([...state.columns, 'result', 'error']));
    const planner = new RowPlanner(state.action, state.columns);
    const apply = this.applier(state);
    const counts = { succeeded: state.succeeded, failed: state.failed };
    const chunks = new ChunkPipeline();
    let chunk: PlannedRow[] = [];
    const flush = async () => {
      if (chunk.length === 0) return;
      const rows = chunk;
      chunk = [];
      // Rows of the first chunks of a run may have been applied just before an interruption.
      const resuming = chunks.started < PIPELINE_DEPTH;
      await chunks.push(apply(rows, resuming, shouldStop), async (results) => {
        bytes += await write(out, outputLines(rows, results, state.columns.length, counts));
        await this.deps.journal.progress(state, { rowsDone: rows[rows.length - 1].index, ...counts, outputBytes: bytes });
        onProgress?.(state);
      });
    };
    let index = 0;
    try {
      for await (const cells of inputRows(this.deps.storage.input(state.id))) {
        const planned = planner.plan({ index: ++index, cells }); // earlier rows too: duplicates are file-wide
        if (index <= state.rowsDone) continue;
        chunk.push(planned);
        if (chunk.length >= this.chunkRows(state)) {
          await flush();
          if (shouldStop()) {
            await chunks.drain();
            return 'stopped';
          }
        }
      }
      await flush();
      await chunks.drain();
    } catch (err) {
      if (!(err instanceof CsvError)) {
        await chunks.settle(); // nothing of this run may still be writing once it has ended
        throw err;
      }
      // The rows before the bad spot are applied and recorded; the task then fails as a whole.
      await flush();
      await chunks.drain();
      throw err;
    }
    await this.deps.journal.finish(state, { status: finalStatus(counts.succeeded, counts.failed), total: index, ...counts, outputBytes: bytes });
    onProgress?.(state);
    return 'finished';
  }

  private chunkRows(state: TaskState): number {
    return state.action === 'import' ? this.options.bulkChunkRows : this.options.rowChunkRows;
  }

  private applier(state: TaskState): (rows: PlannedRow[], resuming: boolean, stop: () => boolean) => Promise<RowResult[]> {
    const { runner, events, accounts, config, limits } = this.deps;
    const ctx = new RowContext(state, accounts, config);
    const perRow = new RunnerRows(runner, events, ctx, state.dryRun, limits);
    if (state.action === 'import') {
      const bulk = new BulkAdd(events, runner, ctx, perRow, limits && new BillableTally(limits), state.dryRun);
      return (rows, resuming, stop) => bulk.apply(rows, resuming, stop);
    }
    return (rows, resuming, stop) => perRow.apply(rows, resuming, stop);
  }

  /**
   * An export shows every change recorded before it started (an import that just finished
   * included): waits for the inventory, at most EXPORT_CATCH_UP_MS (then ProjectionLagError;
   * ProjectionFailedError when inventory stopped), or until the task is asked to stop.
   */
  private async inventoryUpToNow(shouldStop: () => boolean): Promise<void> {
    const now = await this.deps.events.committedPosition();
    if (!(await this.deps.projector.settle(now, EXPORT_CATCH_UP_MS, ['inventory'], shouldStop))) throw new TaskInterrupted();
  }

  /** The export could not show the inventory as of its start: the task fails, saying why (submit it again). */
  private async failExport(state: TaskState, err: ProjectionLagError | ProjectionFailedError, onProgress?: (s: TaskState) => void): Promise<Outcome> {
    const why = err instanceof ProjectionLagError ? `the inventory did not catch up with the log within ${EXPORT_CATCH_UP_MS / 1000} s` : 'the inventory read model has stopped';
    await this.deps.journal.finish(state, { status: 'failure', total: 0, succeeded: 0, failed: 0, outputBytes: 0, error: `${why}; submit the export again` });
    onProgress?.(state);
    return 'finished';
  }

  /** list / dump: read-only, so a resumed export simply starts over. */
  private async export(state: TaskState, out: TaskOutput, shouldStop: () => boolean, onProgress?: (s: TaskState) => void): Promise<Outcome> {
    const { sql, schema, accounts } = this.deps;
    try {
      await this.inventoryUpToNow(shouldStop);
    } catch (err) {
      if (err instanceof ProjectionLagError || err instanceof ProjectionFailedError) return this.failExport(state, err, onProgress);
      throw err;
    }
    let bytes = await write(out, csvLine(exportColumns(state.action)));
    let rows = 0;
    for await (const page of inventoryPages(sql, schema, state.requester, accounts, state.action)) {
      bytes += await write(out, page.map(csvLine).join(''));
      rows += page.length;
      await this.deps.journal.progress(state, { rowsDone: rows, succeeded: rows, failed: 0, outputBytes: bytes });
      onProgress?.(state);
    }
    await this.deps.journal.finish(state, { status: 'success', total: rows, succeeded: rows, failed: 0, outputBytes: bytes });
    onProgress?.(state);
    return 'finished';
  }
}

/** Bound of an export's wait for the inventory to hold the log as of its start. */
const EXPORT_CATCH_UP_MS = 120_000;

/** Longest row accepted: an unterminated quote fails here instead of swallowing the rest of the file. */
const MAX_ROW_CHARS = 64 * 1024;

/**
 * csv-parse's parser, handing each record over as it is found instead of queueing it on its
 * readable side (which drops what it holds when parsing fails). Not `on_record`: that builds
 * an info object per record, more work than parsing the record.
 */
class RowParser extends Parser {
  readonly found: string[][] = [];

  override push(record: unknown): boolean {
    if (record === null) return super.push(null);
    this.found.push(record as string[]);
    return true;
  }
}

/**
 * The input's rows, piece by piece. Rows are taken as the parser finds them, so every row
 * before a malformed spot is delivered before the error, whatever the pieces' sizes.
 */
async function* inputRows(input: Readable): AsyncGenerator<string[]> {
  let failure = null as Error | null; // set by the parser's callbacks
  const parser = new RowParser({
    bom: true, from_line: 2, relax_column_count: true, relax_quotes: true, skip_empty_lines: true, trim: false, max_record_size: MAX_ROW_CHARS,
  });
  parser.on('error', (err) => (failure ??= err));
  parser.resume();
  const settled = finished(parser).catch((err: Error) => {
    failure ??= err;
  });
  try {
    for await (const piece of input) {
      await new Promise<void>((resolve) => parser.write(piece, (err) => resolve(void (err && (failure ??= err)))));
      yield* parser.found.splice(0);
      if (failure) throw failure;
    }
    parser.end();
    await settled;
    yield* parser.found.splice(0);
    if (failure) throw failure;
  } finally {
    input.destroy();
  }
}

function outputLines(rows: PlannedRow[], results: RowResult[], width: number, counts: { succeeded: number; failed: number }): string {
  let text = '';
  rows.forEach((row, i) => {
    const r = results[i];
    if (r.result === 'error') counts.failed++;
    else counts.succeeded++;
    const cells = row.cells.length >= width ? row.cells : [...row.cells, ...Array<string>(width - row.cells.length).fill('')];
    text += csvLine([...cells, r.result, r.result === 'error' ? r.error : '']);
  });
  return text;
}

function write(out: TaskOutput, text: string): Promise<number> {
  return out.write(text);
}
