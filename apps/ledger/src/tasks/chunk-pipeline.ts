import type { RowResult } from './task-rows';

/** Chunks being applied at once: the next chunk is read and decided while the last one is written. */
export const PIPELINE_DEPTH = 2;

/**
 * Applies chunks overlapping (up to PIPELINE_DEPTH at once) but records them strictly in
 * order: a chunk's output and checkpoint follow the previous chunk's. A crash can then
 * leave at most PIPELINE_DEPTH chunks applied past the checkpoint; their rows are replayed
 * with `resuming` set, and being keyed by task and row, change nothing the second time.
 */
export class ChunkPipeline {
  started = 0;
  private recorded: Promise<void> = Promise.resolve();
  private readonly inFlight: Promise<void>[] = [];

  /** Starts recording `applied` after the chunks before it; resolves when a slot is free. */
  async push(applied: Promise<RowResult[]>, record: (results: RowResult[]) => Promise<void>): Promise<void> {
    this.started++;
    // Settles only once this chunk's rows are applied, even when an earlier chunk failed.
    const done = Promise.allSettled([this.recorded, applied]).then(([before, rows]) => {
      if (before.status === 'rejected') throw before.reason;
      if (rows.status === 'rejected') throw rows.reason;
      return record(rows.value);
    });
    this.recorded = done;
    this.inFlight.push(done);
    done.catch(() => undefined);
    if (this.inFlight.length >= PIPELINE_DEPTH) await this.inFlight.shift();
  }

  async drain(): Promise<void> {
    while (this.inFlight.length > 0) await this.inFlight.shift();
  }

  /** Waits for every chunk still running, whatever its outcome. */
  async settle(): Promise<void> {
    await Promise.allSettled(this.inFlight.splice(0));
  }
}
