import { AppendSignal } from './append-signal';
import { LogPosition, RecordedEvent, Subscription } from './port';

export interface PollingOptions {
  /** Longest wait between reads when nothing was appended in this process. */
  pollMs: number;
}

/**
 * Catch-up subscription by repeated reads of the global log from the last delivered position.
 * Wakes at once after a local append, otherwise every `pollMs`.
 */
export class PollingSubscription implements Subscription {
  private closed = false;
  private appended = false;
  private wake: (() => void) | undefined;
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
        const batch = await this.readAfter(this.position);
        if (this.closed) return;
        if (batch.length === 0) {
          await this.pause();
          continue;
        }
        this.position = batch[batch.length - 1].position;
        yield batch;
      }
    } finally {
      await this.close();
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.unlisten();
    this.wake?.();
    this.onClose(this);
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
