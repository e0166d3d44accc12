import { AppendSignal } from './append-signal';
import { LogPosition, RecordedEvent, Subscription } from './port';

export interface PollingOptions {
  /** Longest wait between reads when nothing was appended in this process. */
  pollMs: number;
  /**
   * After a short batch, read again no sooner than this long after the read that returned it,
   * so that a steady stream of appends is read (and projected) in fewer, larger batches. Time
   * the consumer spent on the batch counts: a consumer slower than this reads again at once.
   * 0: read again at once.
   */
  coalesceMs?: number;
  batchSize?: number;
}

/**
 * Catch-up subscription by repeated reads of the global log from the last delivered position.
 * Wakes at once after a local append, otherwise every `pollMs`.
 */
export class PollingSubscription implements Subscription {
  private closed = false;
  private appended = false;
  private wake: (() => void) | undefined;
  private endSleep: (() => void) | undefined;
  private readonly unlisten: () => void;

  constructor(
    private readonly readAfter: (after: LogPosition) => Promise<RecordedEvent[]>,
    private position: LogPosition,
    signal: AppendSignal,
    private readonly options: PollingOptions,
    private readonly onClose: (s: PollingSubscription) => void = () => undefined,
  ) {
    this.unlisten = signal.listen(() => {
      this.appended = true;
      this.wake?.();
    });
  }

  async *[Symbol.asyncIterator](): AsyncIterator<RecordedEvent[]> {
    try {
      while (!this.closed) {
        this.appended = false;
        const readAt = performance.now();
        const batch = await this.readAfter(this.position);
        if (this.closed) return;
        if (batch.length === 0) {
          await this.pause();
          continue;
        }
        this.position = batch[batch.length - 1].position;
        yield batch;
        const wait = (this.options.coalesceMs ?? 0) - (performance.now() - readAt);
        if (wait > 0 && batch.length < (this.options.batchSize ?? Infinity)) await this.sleep(wait);
      }
    } finally {
      await this.close();
    }
  }

  // eslint-disable-next-line @typescript-eslint/require-await -- the Subscription port's close is async (the ESDB one awaits); a throw here still rejects
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.unlisten();
    this.wake?.();
    this.endSleep?.();
    this.onClose(this);
  }

  /** Waits `ms` whatever is appended meanwhile; only `close()` cuts it short. */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.endSleep = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.endSleep = done;
      if (this.closed) done();
    });
  }

  private pause(): Promise<void> {
    if (this.appended || this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, this.options.pollMs);
      this.wake = done;
    });
  }
}
