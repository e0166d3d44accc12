import { evolve, foldNumber, holdUntilConfirmed, numberDecider, NumberDecision, numberEvents, readNumberEvents, withDisconnectAnswer } from '@ledger/domain';
import { LedgerError } from '@ledger/domain/errors';
import { NumberCommand, NumberEvent, NumberManagerConfig, NumberRecord, numberStreamId } from '@ledger/domain/types';
import { CommandHandler, Loaded } from '@ledger/event-store/command-handler';
import { EventStore, LogPosition, RecordedEvent } from '@ledger/event-store/port';
import { AccountTree } from '../../accounts/account-tree';
import { NumberManagerConfigStore } from '../../config/number-manager-config.store';
import { CarrierGateway, noCarrierCalls, UpstreamAnswer } from '../../carriers/carrier-gateway';
import { RequestContext, eventMetadata } from '../../core/request-context';
import { eventIdsFor } from '../../core/event-ids';

export interface CommandOutcome {
  record: NumberRecord;
  /** Log position of the last appended event; null when the command changed nothing. */
  position: LogPosition | null;
  events: NumberEvent[];
}

/** Carrier calls made for one command: a retry after a lost race must not order or disconnect twice. */
interface UpstreamCalls {
  done: Map<string, UpstreamAnswer | void>;
  last: { record: NumberRecord; events: NumberEvent[] } | null;
}

const MAX_ATTEMPTS = 4;
const CACHED_NUMBERS = 50_000;
const NUMBER_STREAM = 'number-';

/**
 * The write path of every number command: the generic command handler runs the number
 * decider (load, decide, append with the expected revision, a lost race decided again on
 * the new state up to a bound, then `concurrency_conflict`); around it this runner keeps
 * a cache of recent states, checks account limits and calls the carrier before the append
 * when the decision needs it, and resumes an idempotency key whose first attempt was recorded.
 */
export class NumberCommandRunner {
  /**
   * Last known state per number. Only a shortcut: each load still reads the events
   * appended since (by any instance), and appends still check the expected revision.
   */
  private readonly recent = new Map<string, NumberRecord>();
  private readonly handler: CommandHandler<NumberDecision, NumberEvent, NumberRecord>;

  constructor(
    private readonly events: EventStore,
    private readonly accounts: AccountTree,
    private readonly config: NumberManagerConfigStore,
    private readonly carriers: CarrierGateway = noCarrierCalls,
    /** Account limits checked before anything is called or recorded (none without a read model to count on). */
    private readonly limits: { check(before: NumberRecord, after: NumberRecord, config: NumberManagerConfig): Promise<void> } | null = null,
  ) {
    this.handler = new CommandHandler(events, (streamId) => numberDecider(streamId.slice(NUMBER_STREAM.length)), {
      codec: numberEvents,
      maxAttempts: MAX_ATTEMPTS,
      conflict: (streamId) => new LedgerError('concurrency_conflict', `a concurrent change to ${streamId.slice(NUMBER_STREAM.length)} won; retry`),
    });
  }

  /** True when recording `events` needs a call to the number's carrier first (bulk paths leave such rows to `run`). */
  needsUpstream(record: NumberRecord, events: NumberEvent[]): boolean {
    return this.carriers.needsUpstream(record, events);
  }

  async load(e164: string): Promise<NumberRecord> {
    const known = this.recent.get(e164);
    const { state } = await this.handler.load(numberStreamId(e164), known ? loadedFrom(known) : undefined);
    if (state.exists) this.remember(state);
    return state;
  }

  private remember(record: NumberRecord): void {
    this.recent.delete(record.number);
    this.recent.set(record.number, record);
    if (this.recent.size > CACHED_NUMBERS) this.recent.delete(this.recent.keys().next().value!);
  }

  /** The number as it was at `asOf` (events recorded at or before it). */
  async loadAsOf(e164: string, asOf: Date): Promise<NumberRecord> {
    const history = await this.events.readStream(numberStreamId(e164));
    return foldNumber(e164, readNumberEvents(history.filter((e) => e.recordedAt.getTime() <= asOf.getTime())));
  }

  async run(e164: string, command: NumberCommand, meta: RequestContext): Promise<CommandOutcome> {
    if (meta.idempotencyResumed) {
      const recorded = await this.recordedBefore(e164, meta);
      if (recorded) return recorded;
    }
    const upstream: UpstreamCalls = { done: new Map(), last: null };
    try {
      return await this.handle(e164, command, meta, upstream);
    } catch (err) {
      if (err instanceof LedgerError && err.code === 'concurrency_conflict') this.recent.delete(e164);
      if (upstream.last) await this.carriers.undo(upstream.last.record, upstream.last.events).catch(() => undefined);
      throw err;
    }
  }

  /**
   * Decides on the cached state when there is one (the append's expected revision
   * catches a stale cache), but reads the stream before answering with an error or
   * a no-op, or before calling a carrier, so those never rest on a stale state.
   */
  private async handle(e164: string, command: NumberCommand, meta: RequestContext, upstream: UpstreamCalls): Promise<CommandOutcome> {
    const streamId = numberStreamId(e164);
    const cached = this.recent.get(e164);
    const ctx = { now: new Date(), requester: meta.requester, accounts: this.accounts, config: await this.config.config() };
    const idempotency = meta.idempotencyKey ? { accountId: meta.requester.accountId, key: meta.idempotencyKey } : undefined;
    const done = await this.handler.handle(streamId, { command, ctx }, {
      metadata: eventMetadata(meta, command.type),
      eventIds: (count) => eventIdsFor(count, streamId, idempotency),
      known: cached ? loadedFrom(cached) : undefined,
      recheck: (decided) => cached !== undefined && this.carriers.needsUpstream(cached, decided),
      beforeAppend: (on, decided) => this.beforeAppend(on.state, decided, upstream),
    });
    if (done.state.exists) this.remember(done.state);
    return { record: done.state, position: done.newEvents.length > 0 ? done.position : null, events: done.newEvents };
  }

  /** Account limits, then the carrier (once per distinct decision) when the events need it; its answer changes what is recorded. */
  private async beforeAppend(record: NumberRecord, decided: NumberEvent[], upstream: UpstreamCalls): Promise<NumberEvent[]> {
    await this.limits?.check(record, decided.reduce(evolve, record), await this.config.config());
    if (!this.carriers.needsUpstream(record, decided)) return decided;
    const call = JSON.stringify(decided.map(({ at: _at, ...rest }) => rest));
    if (!upstream.done.has(call)) {
      upstream.done.set(call, await this.carriers.beforeAppend(record, decided));
      upstream.last = { record, events: decided };
    }
    return withUpstreamAnswer(record, decided, upstream.done.get(call));
  }

  /**
   * The outcome of this key's first attempt on the number, when its events are in the stream
   * (its process died before answering): the same events, the state they led to, their position.
   */
  private async recordedBefore(e164: string, meta: RequestContext): Promise<CommandOutcome | null> {
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
      record: foldNumber(e164, readNumberEvents(stream.slice(0, end + 1))),
      position: mine[mine.length - 1].position,
      events: readNumberEvents(mine),
    };
  }
}

/** Checked number events of recorded ones (see `numberEvents`). */
export function toNumberEvents(recorded: RecordedEvent[]): NumberEvent[] {
  return readNumberEvents(recorded);
}

/** A cached record as the handler's loaded state (its version counts the events applied). */
function loadedFrom(record: NumberRecord): Loaded<NumberRecord> {
  return { state: record, revision: record.version === 0 ? 'no_stream' : record.version - 1, position: null };
}

/** What the carrier answered changes what is recorded: a pending order instead of the purchase, the disconnect's answer. */
function withUpstreamAnswer(record: NumberRecord, decided: NumberEvent[], answer: UpstreamAnswer | void): NumberEvent[] {
  if (!answer) return decided;
  let events = decided;
  if (answer.pendingOrder) events = holdUntilConfirmed(record, events, answer.pendingOrder);
  if (answer.disconnect) events = withDisconnectAnswer(events, answer.disconnect);
  return events;
}
