/**
 * A catch-up subscription to $all that survives connection drops: it re-subscribes
 * with exponential back-off from the last position it took in, so the consumer sees
 * every event once, in log order.
 */
import {
  AccessDeniedError,
  AllStreamSubscription,
  EventStoreDBClient,
  excludeSystemEvents,
  START as ESDB_START,
  streamNameFilter,
} from '@eventstore/db-client';
import { status } from '@grpc/grpc-js';
import { comparePositions, LogPosition, RecordedEvent, START, StreamFilter, Subscription } from '../port';
import { formatPosition, isSystemEvent, matchesFilter, toEsdbPosition, toRecordedEvent } from './esdb-mapping';

export interface SubscriptionTuning {
  minBackoffMs: number;
  maxBackoffMs: number;
  /** Events arriving within this window go out as one batch. */
  batchWindowMs: number;
  maxBatchSize: number;
  /** Batches waiting for the consumer before the subscription stops reading. */
  maxQueuedBatches: number;
}

export const DEFAULT_TUNING: SubscriptionTuning = {
  minBackoffMs: 100,
  maxBackoffMs: 5000,
  batchWindowMs: 10,
  maxBatchSize: 500,
  maxQueuedBatches: 8,
};

export class EsdbSubscription implements Subscription {
  private readonly batches: RecordedEvent[][] = [];
  private pending: RecordedEvent[] = [];
  private last: LogPosition;
  private closed = false;
  private failure: unknown;
  private current?: AllStreamSubscription;
  private flushTimer?: NodeJS.Timeout;
  private wakeConsumer?: () => void;
  private wakeProducer?: () => void;
  private backoff?: { timer: NodeJS.Timeout; resolve: () => void };

  constructor(
    private readonly client: EventStoreDBClient,
    after: LogPosition,
    private readonly filter: StreamFilter | undefined,
    private readonly onClose: () => void,
    private readonly tuning: SubscriptionTuning = DEFAULT_TUNING,
  ) {
    this.last = after;
    void this.run();
  }

  [Symbol.asyncIterator](): AsyncIterator<RecordedEvent[]> {
    return {
      next: () => this.next(),
      return: async () => {
        await this.close();
        return { value: undefined, done: true };
      },
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.batches.length = 0;
    this.pending = [];
    clearTimeout(this.flushTimer);
    this.interruptBackoff();
    this.wakeProducer?.();
    this.wake();
    await this.stopFollowing();
    this.onClose();
  }

  private async next(): Promise<IteratorResult<RecordedEvent[]>> {
    for (;;) {
      const batch = this.batches.shift();
      if (batch) {
        this.wakeProducer?.();
        return { value: batch, done: false };
      }
      // eslint-disable-next-line @typescript-eslint/only-throw-error -- the subscription's own failure, rethrown as the client raised it
      if (this.failure !== undefined) throw this.failure;
      if (this.closed) return { value: undefined, done: true };
      await new Promise<void>((resolve) => (this.wakeConsumer = resolve));
    }
  }

  private async run(): Promise<void> {
    let delay = this.tuning.minBackoffMs;
    while (!this.closed) {
      try {
        await this.follow(() => (delay = this.tuning.minBackoffMs));
      } catch (error) {
        if (isPermanent(error)) return this.fail(error);
      }
      this.flush();
      await this.sleep(delay);
      delay = Math.min(delay * 2, this.tuning.maxBackoffMs);
    }
  }

  /** Reads one server subscription until it ends or fails. */
  private async follow(onConfirmed: () => void): Promise<void> {
    const subscription = this.client.subscribeToAll({
      fromPosition: this.last === START ? ESDB_START : toEsdbPosition(this.last),
      filter: serverFilter(this.filter),
    });
    this.current = subscription;
    subscription.on('confirmation', onConfirmed);
    subscription.on('caughtUp', () => this.flush());
    try {
      for await (const resolved of subscription) {
        if (this.closed) return;
        if (resolved.event) this.take(resolved.event);
        if (this.batches.length >= this.tuning.maxQueuedBatches) await this.consumerCatchUp();
      }
    } finally {
      if (this.current === subscription) this.current = undefined;
    }
  }

  private take(event: Parameters<typeof toRecordedEvent>[0]): void {
    const position = formatPosition(event.position);
    // After a reconnect the server starts after `last`; the check guards against a server that does not.
    if (this.last !== START && comparePositions(position, this.last) <= 0) return;
    this.last = position;
    if (isSystemEvent(event) || !matchesFilter(event.streamId, this.filter)) return;
    this.pending.push(toRecordedEvent(event));
    if (this.pending.length >= this.tuning.maxBatchSize) this.flush();
    else this.flushTimer ??= setTimeout(() => this.flush(), this.tuning.batchWindowMs);
  }

  private flush(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.pending.length === 0) return;
    this.batches.push(this.pending);
    this.pending = [];
    this.wake();
  }

  private wake(): void {
    const wake = this.wakeConsumer;
    this.wakeConsumer = undefined;
    wake?.();
  }

  private consumerCatchUp(): Promise<void> {
    return new Promise((resolve) => (this.wakeProducer = resolve));
  }

  private sleep(ms: number): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      this.backoff = { timer: setTimeout(resolve, ms), resolve };
    });
  }

  private interruptBackoff(): void {
    if (!this.backoff) return;
    clearTimeout(this.backoff.timer);
    this.backoff.resolve();
  }

  private async stopFollowing(): Promise<void> {
    const subscription = this.current;
    if (!subscription) return;
    await subscription.unsubscribe().catch(() => undefined);
    subscription.destroy();
  }

  private fail(error: unknown): void {
    this.flush();
    this.failure = error;
    this.closed = true;
    this.wake();
    this.onClose();
  }
}

/** Filtering on the server saves shipping the whole log; `take` checks again. */
function serverFilter(filter: StreamFilter | undefined) {
  const prefixes = filter?.streamPrefixes ?? [];
  return prefixes.length > 0 ? streamNameFilter({ prefixes }) : excludeSystemEvents();
}

/** Retrying cannot help: wrong credentials or a server without the feature. */
function isPermanent(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof AccessDeniedError || code === status.UNIMPLEMENTED || code === status.INVALID_ARGUMENT;
}
