/**
 * The event store on EventStoreDB. Streams map one to one; the global log is $all,
 * positions are "commit:prepare". System events ($-prefixed types or streams) are not
 * part of the ledger's log and never come out of readAll, subscribeToAll or headPosition.
 *
 * Servers older than 22.6 do not send the log position of events read from a stream:
 * with them such events carry UNKNOWN_POSITION.
 */
import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  ReadPosition,
  START as ESDB_START,
  StreamNotFoundError,
} from '@eventstore/db-client';
import {
  AppendManyResult,
  AppendResult,
  comparePositions,
  DuplicateEventIdError,
  EventStore,
  ExpectedRevision,
  LogPosition,
  NewEvent,
  ReadStreamOptions,
  RecordedEvent,
  START,
  StreamAppend,
  StreamFilter,
  Subscription,
  WrongExpectedRevisionError,
} from '../port';
import { translateAppendError, translateError } from './esdb-errors';
import {
  formatPosition,
  isSystemEvent,
  matchesFilter,
  toEsdbPosition,
  toEventData,
  toExpectedRevision,
  toRecordedEvent,
  UNKNOWN_POSITION,
} from './esdb-mapping';
import { DEFAULT_TUNING, EsdbSubscription, SubscriptionTuning } from './esdb-subscription';

type AllEvent = Parameters<typeof toRecordedEvent>[0];

const MIN_PAGE = 64;
const MAX_PAGE = 4096;
/** How far back a conflicting append's event ids are looked for. */
const CONFLICT_LOOKBACK = 1000;
/** Appends of one `appendMany` in flight at once (EventStoreDB has no multi-stream write). */
const APPEND_MANY_IN_FLIGHT = 32;

export class EsdbEventStore implements EventStore {
  readonly name = 'eventstoredb';
  private readonly client: EventStoreDBClient;
  private readonly subscriptions = new Set<EsdbSubscription>();

  /** `connectionString`: `esdb://host:port?tls=false`, `esdb+discover://...` for a cluster. */
  constructor(
    connectionString: string,
    private readonly tuning: SubscriptionTuning = DEFAULT_TUNING,
  ) {
    this.client = EventStoreDBClient.connectionString(connectionString);
  }

  /** Nothing to create; checks that the server answers. */
  async init(): Promise<void> {
    await this.headPosition();
  }

  async append(streamId: string, events: NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    try {
      const result = await this.client.appendToStream(streamId, events.map(toEventData), {
        expectedRevision: toExpectedRevision(expected),
      });
      const nextRevision = Number(result.nextExpectedRevision);
      const position = result.position ? formatPosition(result.position) : await this.positionOf(streamId, nextRevision);
      return { nextRevision, position };
    } catch (error) {
      const translated = translateAppendError(error, streamId, expected);
      if (translated instanceof WrongExpectedRevisionError) throw await this.explainConflict(translated, events);
      throw translated;
    }
  }

  /** Each stream is its own append (the server writes no two streams atomically), APPEND_MANY_IN_FLIGHT at a time. */
  async appendMany(appends: StreamAppend[]): Promise<AppendManyResult> {
    if (new Set(appends.map((a) => a.streamId)).size !== appends.length) throw new Error('appendMany takes at most one append per stream');
    const result: AppendManyResult = { appended: new Map(), conflicts: new Set() };
    let next = 0;
    const worker = async () => {
      while (next < appends.length) {
        const a = appends[next++];
        try {
          result.appended.set(a.streamId, await this.append(a.streamId, a.events, a.expected));
        } catch (err) {
          if (!(err instanceof WrongExpectedRevisionError)) throw err;
          result.conflicts.add(a.streamId);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(APPEND_MANY_IN_FLIGHT, appends.length) }, worker));
    return result;
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const backwards = options.direction === 'backwards';
    const from = options.fromRevision === undefined ? undefined : BigInt(options.fromRevision);
    try {
      const read = this.client.readStream(streamId, {
        direction: backwards ? BACKWARDS : FORWARDS,
        fromRevision: from ?? (backwards ? END : ESDB_START),
        maxCount: options.maxCount,
      });
      const events: RecordedEvent[] = [];
      for await (const resolved of read) if (resolved.event) events.push(toRecordedEvent(resolved.event));
      return events;
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw translateError(error);
    }
  }

  async readAll(after: LogPosition, maxCount: number, filter?: StreamFilter): Promise<RecordedEvent[]> {
    const found: RecordedEvent[] = [];
    const pageSize = Math.min(Math.max(maxCount + 1, MIN_PAGE), MAX_PAGE);
    let cursor = after;
    while (found.length < maxCount) {
      const page = await this.readAllPage(cursor === START ? ESDB_START : toEsdbPosition(cursor), pageSize);
      // Reads of $all include the event at the position they start from.
      const fresh = cursor === START ? page : page.filter((e) => comparePositions(formatPosition(e.position), cursor) > 0);
      for (const event of fresh) {
        if (!isSystemEvent(event) && matchesFilter(event.streamId, filter)) found.push(toRecordedEvent(event));
      }
      if (page.length < pageSize || fresh.length === 0) break;
      cursor = formatPosition(fresh[fresh.length - 1].position);
    }
    return found.slice(0, maxCount);
  }

  subscribeToAll(after: LogPosition, filter?: StreamFilter): Subscription {
    const subscription: EsdbSubscription = new EsdbSubscription(
      this.client,
      after,
      filter,
      () => this.subscriptions.delete(subscription),
      this.tuning,
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  /** EventStoreDB's log has no horizon: what is committed is readable. */
  committedPosition(): Promise<LogPosition> {
    return this.headPosition();
  }

  async headPosition(): Promise<LogPosition> {
    let from: ReadPosition = END;
    for (;;) {
      const page = await this.readAllPage(from, MIN_PAGE, true);
      const latest = page.find((e) => !isSystemEvent(e));
      if (latest) return formatPosition(latest.position);
      if (page.length < MIN_PAGE) return START;
      from = page[page.length - 1].position!;
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((s) => s.close()));
    await this.client.dispose();
  }

  private async readAllPage(from: ReadPosition, maxCount: number, backwards = false): Promise<AllEvent[]> {
    try {
      const read = this.client.readAll({ fromPosition: from, maxCount, direction: backwards ? BACKWARDS : FORWARDS });
      const events: AllEvent[] = [];
      for await (const resolved of read) if (resolved.event) events.push(resolved.event);
      return events;
    } catch (error) {
      throw translateError(error);
    }
  }

  /**
   * The server answers a re-append of ids stored at another place of the stream (or of only
   * part of a batch) with a wrong expected version; the port calls that a duplicate event id.
   * Ids stored in other streams go unnoticed: EventStoreDB keeps ids unique per stream only.
   */
  private async explainConflict(conflict: WrongExpectedRevisionError, events: NewEvent[]): Promise<Error> {
    const ids = new Set(events.map((e) => e.id));
    const lookback = { direction: 'backwards', maxCount: CONFLICT_LOOKBACK } as const;
    const recent = await this.readStream(conflict.streamId, lookback).catch(() => []);
    const stored = recent.filter((e) => ids.has(e.id)).map((e) => e.id);
    return stored.length > 0 ? new DuplicateEventIdError(conflict.streamId, stored.reverse()) : conflict;
  }

  /** For replies without a position: idempotent re-appends on some server versions, empty appends. */
  private async positionOf(streamId: string, revision: number): Promise<LogPosition> {
    if (revision < 0) return START;
    const [event] = await this.readStream(streamId, { fromRevision: revision, maxCount: 1 });
    if (!event || event.position !== UNKNOWN_POSITION) return event?.position ?? START;
    const recent = await this.readAllPage(END, MAX_PAGE, true);
    const found = recent.find((e) => e.streamId === streamId && Number(e.revision) === revision);
    return found ? formatPosition(found.position) : UNKNOWN_POSITION;
  }
}
