import { decide, evolve, foldNumber, holdUntilConfirmed, withDisconnectAnswer } from '@ledger/domain';
import { LedgerError } from '@ledger/domain/errors';
import { NumberCommand, NumberEvent, NumberManagerConfig, NumberRecord, numberStreamId } from '@ledger/domain/types';
import { EventStore, LogPosition, RecordedEvent, WrongExpectedRevisionError } from '@ledger/event-store/port';
import { AccountTree } from '../../accounts/account-tree';
import { NumberManagerConfigStore } from '../../config/number-manager-config.store';
import { CarrierGateway, noCarrierCalls, UpstreamAnswer } from '../../carriers/carrier-gateway';
import { CommandMeta, eventMetadata } from './command-meta';
import { eventIdsFor } from '../../core/event-ids';

export interface CommandOutcome {
  record: NumberRecord;
  /** Log position of the last appended event; null when the command changed nothing. */
  position: LogPosition | null;
  events: NumberEvent[];
}

const MAX_ATTEMPTS = 4;
const CACHED_NUMBERS = 50_000;

/**
 * The write path of every number command: load the stream, decide, call the
 * carrier when the decision needs it, append with the expected revision.
 * A lost race is decided again on the new state (the loser then usually gets
 * a domain error such as `unauthorized`), up to a bound, then `concurrency_conflict`.
 */
export class NumberCommandRunner {
  /**
   * Last known state per number. Only a shortcut: each load still reads the events
   * appended since (by any instance), and appends still check the expected revision.
   */
  private readonly recent = new Map<string, NumberRecord>();

  constructor(
    private readonly events: EventStore,
    private readonly accounts: AccountTree,
    private readonly config: NumberManagerConfigStore,
    private readonly carriers: CarrierGateway = noCarrierCalls,
    /** Account limits checked before anything is called or recorded (none without a read model to count on). */
    private readonly limits: { check(before: NumberRecord, after: NumberRecord, config: NumberManagerConfig): Promise<void> } | null = null,
  ) {}

  /** True when recording `events` needs a call to the number's carrier first (bulk paths leave such rows to `run`). */
  needsUpstream(record: NumberRecord, events: NumberEvent[]): boolean {
    return this.carriers.needsUpstream(record, events);
  }

  async load(e164: string): Promise<NumberRecord> {
    const known = this.recent.get(e164);
    const newer = await this.events.readStream(numberStreamId(e164), known ? { fromRevision: known.version } : {});
    const record = known ? toNumberEvents(newer).reduce(evolve, known) : foldNumber(e164, toNumberEvents(newer));
    if (record.exists) this.remember(record);
    return record;
  }

  private remember(record: NumberRecord): void {
    this.recent.delete(record.number);
    this.recent.set(record.number, record);
    if (this.recent.size > CACHED_NUMBERS) this.recent.delete(this.recent.keys().next().value!);
  }

  /** The number as it was at `asOf` (events recorded at or before it). */
  async loadAsOf(e164: string, asOf: Date): Promise<NumberRecord> {
    const history = await this.events.readStream(numberStreamId(e164));
    return foldNumber(e164, toNumberEvents(history.filter((e) => e.recordedAt.getTime() <= asOf.getTime())));
  }

  async run(e164: string, command: NumberCommand, meta: CommandMeta): Promise<CommandOutcome> {
    if (meta.idempotencyResumed) {
      const recorded = await this.recordedBefore(e164, meta);
      if (recorded) return recorded;
    }
    const upstream = { done: new Map<string, UpstreamAnswer | void>(), last: null as { record: NumberRecord; events: NumberEvent[] } | null };
    try {
      return await this.attempt(e164, command, meta, upstream);
    } catch (err) {
      if (upstream.last) await this.carriers.undo(upstream.last.record, upstream.last.events).catch(() => undefined);
      throw err;
    }
  }

  private async attempt(
    e164: string,
    command: NumberCommand,
    meta: CommandMeta,
    upstream: { done: Map<string, UpstreamAnswer | void>; last: { record: NumberRecord; events: NumberEvent[] } | null },
  ): Promise<CommandOutcome> {
    for (let attempt = 1; ; attempt++) {
      const latest = await this.decideOnLatest(e164, command, meta, attempt === 1);
      const record = latest.record;
      let decided = latest.decided;
      if (decided.length === 0) return { record, position: null, events: [] };
      await this.limits?.check(record, decided.reduce(evolve, record), await this.config.config());
      if (this.carriers.needsUpstream(record, decided)) {
        // A retry after a lost race must not order or disconnect the same number upstream twice.
        const call = JSON.stringify(decided.map(({ at: _at, ...rest }) => rest));
        if (!upstream.done.has(call)) {
          upstream.done.set(call, await this.carriers.beforeAppend(record, decided));
          upstream.last = { record, events: decided };
        }
        decided = withUpstreamAnswer(record, decided, upstream.done.get(call));
      }
      const next = decided.reduce(evolve, record);
      try {
        const position = await this.append(e164, record, decided, command.type, meta);
        this.remember(next);
        return { record: next, position, events: decided };
      } catch (err) {
        if (!(err instanceof WrongExpectedRevisionError)) throw err;
        this.recent.delete(e164);
        if (attempt >= MAX_ATTEMPTS) {
          throw new LedgerError('concurrency_conflict', `a concurrent change to ${e164} won; retry`);
        }
      }
    }
  }

  /**
   * The outcome of this key's first attempt on the number, when its events are in the stream
   * (its process died before answering): the same events, the state they led to, their position.
   */
  private async recordedBefore(e164: string, meta: CommandMeta): Promise<CommandOutcome | null> {
    const streamId = numberStreamId(e164);
    const stream = await this.events.readStream(streamId);
    const key = { accountId: meta.requester.accountId, key: meta.idempotencyKey! };
    const [firstId] = eventIdsFor(1, streamId, key);
    const start = stream.findIndex((e) => e.id === firstId);
    if (start < 0) return null;
    const ids = new Set(eventIdsFor(stream.length - start, streamId, key));
    let end = start;
    while (end + 1 < stream.length && ids.has(stream[end + 1].id)) end++;
    const mine = stream.slice(start, end + 1);
    return {
      record: foldNumber(e164, toNumberEvents(stream.slice(0, end + 1))),
      position: mine[mine.length - 1].position,
      events: toNumberEvents(mine),
    };
  }

  /**
   * Decides on the cached state when there is one (the append's expected revision
   * catches a stale cache), but reads the stream before answering with an error or
   * a no-op, or before calling a carrier, so those never rest on a stale state.
   */
  private async decideOnLatest(e164: string, command: NumberCommand, meta: CommandMeta, trustCache: boolean) {
    const cached = trustCache ? this.recent.get(e164) : undefined;
    if (cached) {
      try {
        const decided = await this.decideOn(e164, command, cached, meta);
        if (decided.length > 0 && !this.carriers.needsUpstream(cached, decided)) return { record: cached, decided };
      } catch {
        // verified below against the stream
      }
    }
    const record = await this.load(e164);
    return { record, decided: await this.decideOn(e164, command, record, meta) };
  }

  private async decideOn(e164: string, command: NumberCommand, record: NumberRecord, meta: CommandMeta): Promise<NumberEvent[]> {
    const ctx = { now: new Date(), requester: meta.requester, accounts: this.accounts, config: await this.config.config() };
    return decide(e164, command, record, ctx);
  }

  private async append(
    e164: string,
    record: NumberRecord,
    decided: NumberEvent[],
    commandType: string,
    meta: CommandMeta,
  ): Promise<LogPosition> {
    const streamId = numberStreamId(e164);
    const idempotency = meta.idempotencyKey ? { accountId: meta.requester.accountId, key: meta.idempotencyKey } : undefined;
    const ids = eventIdsFor(decided.length, streamId, idempotency);
    const metadata = eventMetadata(meta, commandType);
    const result = await this.events.append(
      streamId,
      decided.map(({ type, ...data }, i) => ({ id: ids[i], type, data, metadata })),
      record.version === 0 ? 'no_stream' : record.version - 1,
    );
    return result.position;
  }
}

export function toNumberEvents(recorded: RecordedEvent[]): NumberEvent[] {
  return recorded.map((e) => ({ type: e.type, ...e.data }) as NumberEvent);
}

/** What the carrier answered changes what is recorded: a pending order instead of the purchase, the disconnect's answer. */
function withUpstreamAnswer(record: NumberRecord, decided: NumberEvent[], answer: UpstreamAnswer | void): NumberEvent[] {
  if (!answer) return decided;
  let events = decided;
  if (answer.pendingOrder) events = holdUntilConfirmed(record, events, answer.pendingOrder);
  if (answer.disconnect) events = withDisconnectAnswer(events, answer.disconnect);
  return events;
}
