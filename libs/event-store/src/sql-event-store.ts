import { SqlClient } from '@ledger/sql';
import { AppendSignal, appendSignalFor } from './append-signal';
import { PollingSubscription } from './polling-subscription';
import {
  AppendManyResult,
  AppendResult,
  EventStore,
  ExpectedRevision,
  LogPosition,
  NewEvent,
  parsePosition,
  ReadStreamOptions,
  RecordedEvent,
  START,
  StreamAppend,
  StreamFilter,
  Subscription,
  WrongExpectedRevisionError,
} from './port';
import { appendManyPositions } from './sql-batch-append';
import { APPEND_AT_REVISION, APPEND_TO_NEW_STREAM, STREAM_REVISION } from './sql/append-statements';
import { appendManyByCopy } from './sql/copy-append';
import { GroupCommit, GroupCommitOptions } from './sql/group-commit';
import { isDuplicateEventId, originalAppend, originalAppends } from './sql/idempotent-retry';
import {
  prefixPattern,
  READ_STREAM_BACKWARDS,
  READ_STREAM_FORWARDS,
  readAllStatement,
  SAFE_HEAD_POSITION,
  COMMITTED_POSITION,
} from './sql/read-statements';
import { EventRow, toRecordedEvent } from './sql/recorded-event-row';
import { INIT_LOCK, SCHEMA_STATEMENTS } from './sql/schema';
import { whileReachable } from './sql/unavailable';

export interface SqlEventStoreOptions {
  /** Longest wait of a subscription between reads when nothing was appended in this process. */
  pollMs?: number;
  /** Events per subscription batch. */
  batchSize?: number;
  /** See PollingOptions.coalesceMs. */
  coalesceMs?: number;
  /** Group commit of concurrent appends (see sql/group-commit.ts). */
  groupCommit?: GroupCommitOptions;
  /** Streams from which a statement of `appendMany` copies its events (sql/copy-append.ts) instead of inserting them. */
  copyFromStreams?: number;
}

/** Appends racing with `any` retry after re-reading the revision; this bounds a pathological storm. */
const MAX_ATTEMPTS = 50;
const LAST_REVISION = Number.MAX_SAFE_INTEGER;
/** Streams per statement of `appendMany`: bounds the statement's parameters and its transaction. */
const APPEND_MANY_STATEMENT = 5000;
/** Below this, COPY's extra round trips cost more than its cheaper rows save. */
const COPY_FROM_STREAMS = 200;

/**
 * The event store in PostgreSQL tables, on a PostgreSQL server or in embedded PGlite.
 * Positions are "transaction id:sequence" (see sql/read-statements.ts for why readers skip nothing).
 * The SqlClient belongs to the caller: `close()` ends subscriptions but leaves it open.
 */
export class SqlEventStore implements EventStore {
  readonly name: string;
  private readonly signal: AppendSignal;
  private readonly subscriptions = new Set<PollingSubscription>();
  private readonly groupCommit: GroupCommit;

  constructor(
    private readonly sql: SqlClient,
    private readonly options: SqlEventStoreOptions = {},
  ) {
    this.name = sql.kind;
    this.signal = appendSignalFor(sql);
    this.groupCommit = new GroupCommit(sql, (streamId, events, expected) => this.writeAlone(streamId, events, expected), options.groupCommit);
  }

  init(): Promise<void> {
    return whileReachable(() =>
      this.sql.transaction(async (tx) => {
        await tx.query('SELECT pg_advisory_xact_lock($1::bigint)', [INIT_LOCK]);
        for (const statement of SCHEMA_STATEMENTS) await tx.query(statement);
      }),
    );
  }

  append(streamId: string, events: NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    return whileReachable(async () => {
      assertDistinctIds(events);
      return events.length === 0 ? this.checkOnly(streamId, expected) : this.appendEvents(streamId, events, expected);
    });
  }

  /** One statement (and transaction) per APPEND_MANY_STATEMENT streams; see sql-batch-append.ts. */
  appendMany(appends: StreamAppend[]): Promise<AppendManyResult> {
    return whileReachable(async () => {
      assertOnePerStream(appends);
      appends.forEach((a) => assertDistinctIds(a.events));
      const result: AppendManyResult = { appended: new Map(), conflicts: new Set() };
      for (const a of appends.filter((x) => x.events.length === 0)) await this.settleAlone(a, result);
      const writing = appends.filter((a) => a.events.length > 0);
      for (let from = 0; from < writing.length; from += APPEND_MANY_STATEMENT) {
        await this.appendGroup(writing.slice(from, from + APPEND_MANY_STATEMENT), result);
      }
      return result;
    });
  }

  readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const backwards = options.direction === 'backwards';
    const from = options.fromRevision ?? (backwards ? LAST_REVISION : 0);
    return this.select(
      backwards ? READ_STREAM_BACKWARDS : READ_STREAM_FORWARDS,
      [streamId, from, options.maxCount ?? null],
      backwards ? 'ledger_read_stream_backwards' : 'ledger_read_stream',
    );
  }

  async readAll(after: LogPosition, maxCount: number, filter?: StreamFilter): Promise<RecordedEvent[]> {
    const [txId, sequence] = parsePosition(after);
    if (!(maxCount >= 1)) return [];
    const prefixes = filter?.streamPrefixes ?? [];
    const patterns = prefixes.length > 0 ? prefixes.map(prefixPattern) : null;
    return this.select(readAllStatement(), [txId.toString(), sequence.toString(), Math.floor(maxCount), patterns], 'ledger_read_all');
  }

  subscribeToAll(after: LogPosition, filter?: StreamFilter): Subscription {
    parsePosition(after);
    const batchSize = this.options.batchSize ?? 500;
    const subscription = new PollingSubscription(
      (position) => this.readAll(position, batchSize, filter),
      after,
      this.signal,
      { pollMs: this.options.pollMs ?? 50, coalesceMs: this.options.coalesceMs ?? 0, batchSize },
      (s) => this.subscriptions.delete(s),
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  /** The last position a reader can resume after without missing an event still being committed. */
  headPosition(): Promise<LogPosition> {
    return this.positionOf(SAFE_HEAD_POSITION);
  }

  committedPosition(): Promise<LogPosition> {
    return this.positionOf(COMMITTED_POSITION);
  }

  /** The position one of the head statements answers (START for an empty log). */
  private positionOf(statement: string): Promise<LogPosition> {
    return whileReachable(async () => {
      const { rows } = await this.sql.query<{ position: string }>(statement);
      return rows[0]?.position ?? START;
    });
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((s) => s.close()));
  }

  private async appendEvents(streamId: string, events: NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    for (let attempt = 1; ; attempt++) {
      const target = expected === 'any' ? ((await this.revisionOf(streamId)) ?? 'no_stream') : expected;
      const written = await this.groupCommit.write(streamId, events, target);
      if (written) {
        this.signal.notify();
        return written;
      }
      const original = await originalAppend(this.sql, streamId, events, expected);
      if (original) return original;
      const actual = await this.revisionOf(streamId);
      // Retry when `any` lost a race, or when the stream reached the expected revision meanwhile.
      const raced = expected === 'any' || actual === expected;
      if (!raced || attempt >= MAX_ATTEMPTS) throw new WrongExpectedRevisionError(streamId, expected, actual ?? 'no_stream');
    }
  }

  private async appendGroup(group: StreamAppend[], result: AppendManyResult): Promise<void> {
    let positions: Map<string, LogPosition>;
    try {
      positions = group.length >= (this.options.copyFromStreams ?? COPY_FROM_STREAMS)
        ? await appendManyByCopy(this.sql, group)
        : await appendManyPositions(this.sql, group);
    } catch (err) {
      if (!isDuplicateEventId(err)) throw err;
      for (const a of group) await this.settleAlone(a, result); // each answers for its own ids
      return;
    }
    if (positions.size > 0) this.signal.notify();
    const refused: StreamAppend[] = [];
    for (const a of group) {
      const position = positions.get(a.streamId);
      if (position === undefined) refused.push(a);
      else result.appended.set(a.streamId, { nextRevision: (a.expected === 'no_stream' ? -1 : a.expected) + a.events.length, position });
    }
    // A refused guard is a conflict unless the events are stored there already (a retry).
    const retried = await originalAppends(this.sql, refused);
    for (const a of refused) {
      const original = retried.get(a.streamId);
      if (original) result.appended.set(a.streamId, original);
      else result.conflicts.add(a.streamId);
    }
  }

  private async settleAlone(a: StreamAppend, result: AppendManyResult): Promise<void> {
    try {
      const written = a.events.length === 0 ? await this.checkOnly(a.streamId, a.expected) : await this.appendEvents(a.streamId, a.events, a.expected);
      result.appended.set(a.streamId, written);
    } catch (err) {
      if (!(err instanceof WrongExpectedRevisionError)) throw err;
      result.conflicts.add(a.streamId);
    }
  }

  /** One statement; undefined when the guard or the event-id uniqueness refused it. */
  private async writeAlone(streamId: string, events: NewEvent[], expected: 'no_stream' | number): Promise<AppendResult | undefined> {
    const batch = JSON.stringify(events.map(({ id, type, data, metadata }) => ({ id, type, data, metadata })));
    const [statement, params, name] =
      expected === 'no_stream'
        ? [APPEND_TO_NEW_STREAM, [streamId, batch, events.length], 'ledger_append_new']
        : [APPEND_AT_REVISION, [streamId, batch, events.length, expected], 'ledger_append_at'];
    try {
      const { rows } = await this.sql.query<{ revision: number; position: string }>(statement, params, name);
      return rows[0] && { nextRevision: rows[0].revision, position: rows[0].position };
    } catch (err) {
      if (isDuplicateEventId(err)) return undefined;
      throw err;
    }
  }

  private async checkOnly(streamId: string, expected: ExpectedRevision): Promise<AppendResult> {
    const actual = await this.revisionOf(streamId);
    const matches = expected === 'any' || (expected === 'no_stream' ? actual === undefined : actual === expected);
    if (!matches) throw new WrongExpectedRevisionError(streamId, expected, actual ?? 'no_stream');
    const [last] = await this.readStream(streamId, { direction: 'backwards', maxCount: 1 });
    return { nextRevision: actual ?? -1, position: last?.position ?? START };
  }

  private async revisionOf(streamId: string): Promise<number | undefined> {
    const { rows } = await this.sql.query<{ revision: number }>(STREAM_REVISION, [streamId], 'ledger_stream_revision');
    return rows[0]?.revision;
  }

  private select(statement: string, params: unknown[], name?: string): Promise<RecordedEvent[]> {
    return whileReachable(async () => {
      const { rows } = await this.sql.query<EventRow>(statement, params, name);
      return rows.map(toRecordedEvent);
    });
  }
}

function assertOnePerStream(appends: StreamAppend[]): void {
  if (new Set(appends.map((a) => a.streamId)).size !== appends.length) throw new Error('appendMany takes at most one append per stream');
}

function assertDistinctIds(events: NewEvent[]): void {
  const ids = new Set(events.map((e) => e.id.toLowerCase()));
  if (ids.size !== events.length) throw new Error('an append must not carry the same event id twice');
}
