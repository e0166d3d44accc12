import { randomUUID } from 'node:crypto';
import type { Decider } from '@ledger/domain/decider';
import type { EventCodec } from '@ledger/domain/events/stored-event';
import { EventMetadata, EventStore, LogPosition, WrongExpectedRevisionError } from './port';

/** A stream folded into its aggregate's state. */
export interface Loaded<State> {
  state: State;
  /** Last revision of the stream; `no_stream` before its first event. */
  revision: number | 'no_stream';
  /** Position of the stream's last event; null before its first. */
  position: LogPosition | null;
}

export interface Handled<Event, State> extends Loaded<State> {
  newState: State;
  /** What the command recorded (none: nothing changed). */
  newEvents: Event[];
  /** The state the recorded decision was made on. */
  decidedOn: State;
}

export interface CommandHandlerOptions<Event> {
  /** How the aggregate's events go to and come back from the log (checked on the way back). */
  codec: EventCodec<Event>;
  /** Attempts when a concurrent append wins (default 4); 1: the first lost race is the caller's answer. */
  maxAttempts?: number;
  /** The error after the last lost race; the port's `WrongExpectedRevisionError` itself when not given. */
  conflict?: (streamId: string) => Error;
}

export interface HandleOptions<Event, State> {
  metadata: EventMetadata;
  /** Ids for the `count` events of an append (deterministic ids make retries idempotent); random UUIDs otherwise. */
  eventIds?: (count: number) => string[];
  /**
   * Between decide and append, on every attempt: may refuse (throw) or rewrite the events
   * (what a carrier answered). Not called when the decision records nothing.
   */
  beforeAppend?: (decidedOn: Loaded<State>, events: Event[]) => Promise<Event[]>;
  /**
   * A state the caller already holds: the first attempt decides on it without reading the
   * stream, and the append still checks its revision. With `recheck`, a decision on it that
   * refuses, records nothing or that `recheck` flags is made again on the stream (a cache
   * must never answer alone); without, the caller's state is the one that counts.
   */
  known?: Loaded<State>;
  recheck?: (events: Event[]) => boolean;
}

const DEFAULT_ATTEMPTS = 4;

/**
 * Runs a decider against the event store (as Emmett's `CommandHandler`): load the
 * stream, fold it with `evolve`, `decide`, append with the expected revision; a lost
 * race is decided again on the new state, up to `maxAttempts`.
 */
export class CommandHandler<Command, Event, State> {
  constructor(
    private readonly store: EventStore,
    private readonly deciderOf: (streamId: string) => Decider<Command, Event, State>,
    private readonly options: CommandHandlerOptions<Event>,
  ) {}

  /** The stream's current state; from `after` on when given (only the events since are read). */
  async load(streamId: string, after?: Loaded<State>): Promise<Loaded<State>> {
    const decider = this.deciderOf(streamId);
    const from = after && after.revision !== 'no_stream' ? after.revision + 1 : 0;
    const recorded = await this.store.readStream(streamId, from > 0 ? { fromRevision: from } : {});
    let loaded: Loaded<State> = from > 0 && after ? after : { state: decider.initialState(), revision: 'no_stream', position: null };
    for (const e of recorded) {
      loaded = { state: decider.evolve(loaded.state, this.options.codec.read(e)), revision: e.revision, position: e.position };
    }
    return loaded;
  }

  async handle(streamId: string, command: Command, options: HandleOptions<Event, State>): Promise<Handled<Event, State>> {
    const maxAttempts = this.options.maxAttempts ?? DEFAULT_ATTEMPTS;
    for (let attempt = 1; ; attempt++) {
      const { loaded, decided } = await this.decide(streamId, command, attempt === 1 ? options : { ...options, known: undefined });
      try {
        return await this.record(streamId, loaded, decided, options);
      } catch (err) {
        if (!(err instanceof WrongExpectedRevisionError)) throw err;
        if (attempt >= maxAttempts) throw this.options.conflict?.(streamId) ?? err;
      }
    }
  }

  private async decide(streamId: string, command: Command, options: HandleOptions<Event, State>): Promise<{ loaded: Loaded<State>; decided: Event[] }> {
    const decider = this.deciderOf(streamId);
    const { known, recheck } = options;
    if (known && !recheck) return { loaded: known, decided: decider.decide(command, known.state) };
    if (known && recheck) {
      try {
        const decided = decider.decide(command, known.state);
        if (decided.length > 0 && !recheck(decided)) return { loaded: known, decided };
      } catch {
        // decided again below, on the stream
      }
    }
    const loaded = await this.load(streamId, known);
    return { loaded, decided: decider.decide(command, loaded.state) };
  }

  private async record(streamId: string, loaded: Loaded<State>, decided: Event[], options: HandleOptions<Event, State>): Promise<Handled<Event, State>> {
    const decider = this.deciderOf(streamId);
    if (decided.length === 0) return { ...loaded, newState: loaded.state, newEvents: [], decidedOn: loaded.state };
    const events = options.beforeAppend ? await options.beforeAppend(loaded, decided) : decided;
    const ids = options.eventIds?.(events.length) ?? events.map(() => randomUUID());
    const result = await this.store.append(
      streamId,
      events.map((e, i) => ({ id: ids[i], ...this.options.codec.write(e), metadata: options.metadata })),
      loaded.revision,
    );
    const newState = events.reduce((state, e) => decider.evolve(state, e), loaded.state);
    return { state: newState, newState, newEvents: events, revision: result.nextRevision, position: result.position, decidedOn: loaded.state };
  }
}
