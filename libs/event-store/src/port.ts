/**
 * The event-store port. Every adapter (PostgreSQL, PGlite, EventStoreDB) passes
 * the same contract suite (`contract/event-store.contract.ts`).
 */

/**
 * A position in the global log, as an opaque string "major:minor" of two
 * unsigned decimal integers. PostgreSQL adapters use transaction id : sequence,
 * EventStoreDB uses commit : prepare. Compare with `comparePositions`, never as strings.
 */
export type LogPosition = string;

export const START: LogPosition = '0:0';

export function parsePosition(p: LogPosition): [bigint, bigint] {
  const m = /^(\d{1,20}):(\d{1,20})$/.exec(p);
  if (!m) throw new Error(`not a log position: ${p}`);
  return [BigInt(m[1]), BigInt(m[2])];
}

export function isPosition(p: unknown): p is LogPosition {
  return typeof p === 'string' && /^(\d{1,20}):(\d{1,20})$/.test(p);
}

export function comparePositions(a: LogPosition, b: LogPosition): number {
  const [a1, a2] = parsePosition(a);
  const [b1, b2] = parsePosition(b);
  if (a1 !== b1) return a1 < b1 ? -1 : 1;
  if (a2 !== b2) return a2 < b2 ? -1 : 1;
  return 0;
}

/** `no_stream`: the stream must not exist; `any`: no check; a number: the stream's current last revision (0-based). */
export type ExpectedRevision = 'no_stream' | 'any' | number;

export interface EventMetadata {
  actor?: string;
  command?: string;
  correlationId?: string;
  causationId?: string;
  auditId?: string;
  taskId?: string;
  [key: string]: unknown;
}

export interface NewEvent {
  /** UUID; appending an event id that the stream already holds at the same place is a no-op (idempotent retry). */
  id: string;
  /** Stable, versioned type string, e.g. `NumberReserved.v1`. */
  type: string;
  data: Record<string, unknown>;
  metadata: EventMetadata;
}

export interface RecordedEvent {
  streamId: string;
  /** 0-based revision of the event in its stream. */
  revision: number;
  position: LogPosition;
  id: string;
  type: string;
  data: Record<string, unknown>;
  metadata: EventMetadata;
  recordedAt: Date;
}

export interface AppendResult {
  /** Revision of the last event of the stream after the append. */
  nextRevision: number;
  /** Position of the last appended event in the global log. */
  position: LogPosition;
}

/** One stream's part of an `appendMany`. */
export interface StreamAppend {
  streamId: string;
  events: NewEvent[];
  /** `no_stream`, or the stream's current last revision. */
  expected: 'no_stream' | number;
}

export interface AppendManyResult {
  /** The streams written, or found written at that place already (a retry), with their results. */
  appended: Map<string, AppendResult>;
  /** The streams whose expected revision did not match: nothing was written to them. */
  conflicts: Set<string>;
}

export interface ReadStreamOptions {
  fromRevision?: number;
  direction?: 'forwards' | 'backwards';
  maxCount?: number;
}

/** Server-side filter on the global log: only streams whose id starts with one of the prefixes. */
export interface StreamFilter {
  streamPrefixes?: string[];
}

export interface Subscription extends AsyncIterable<RecordedEvent[]> {
  close(): Promise<void>;
}

export interface EventStore {
  readonly name: string;
  /** Creates what the adapter needs (tables, connections). Idempotent. */
  init(): Promise<void>;
  /**
   * Appends atomically. Throws `WrongExpectedRevisionError` when `expected` does not match.
   * Re-appending events whose ids are already stored at the same place succeeds without writing.
   */
  append(streamId: string, events: NewEvent[], expected: ExpectedRevision): Promise<AppendResult>;
  /**
   * Appends to many streams (at most one entry per stream) in one call: each stream atomically
   * under its own expected revision, as `append` would, but a stream whose guard fails is reported
   * in `conflicts` instead of failing the call, and the others are written all the same. Nothing
   * is promised across streams: after an error some may be written; calling again with the same
   * events is safe (they count as appended). Throws `DuplicateEventIdError` as `append` does.
   */
  appendMany(appends: StreamAppend[]): Promise<AppendManyResult>;
  /** Events of one stream; an empty array when the stream does not exist. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /**
   * Up to `maxCount` events of the global log strictly after `after` (START for the beginning),
   * in log order. Never returns an event while an earlier one may still become visible:
   * a reader that follows with the last position it saw skips nothing and repeats nothing.
   */
  readAll(after: LogPosition, maxCount: number, filter?: StreamFilter): Promise<RecordedEvent[]>;
  /** Catch-up subscription: batches of events after `after`, then new ones as they are committed. */
  subscribeToAll(after: LogPosition, filter?: StreamFilter): Subscription;
  /**
   * Position of the last event `readAll` can return now (START when empty): nothing at or
   * below it can still appear, so a reader may move its own position up to it.
   */
  headPosition(): Promise<LogPosition>;
  /**
   * Position of the last event committed so far (START when empty). It may be past
   * `headPosition` while an earlier event can still become visible (a store that reads its log
   * below the oldest running transaction); waiting for the read models to reach it covers every
   * write acknowledged before the call.
   */
  committedPosition(): Promise<LogPosition>;
  close(): Promise<void>;
}

export class WrongExpectedRevisionError extends Error {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    readonly actual: number | 'no_stream',
  ) {
    super(`stream ${streamId}: expected revision ${expected}, actual ${actual}`);
    this.name = 'WrongExpectedRevisionError';
  }
}

/** The store cannot be reached; commands answer 503 and nothing is half-written. */
export class EventStoreUnavailableError extends Error {
  constructor(message: string, readonly cause?: unknown) {
    super(message);
    this.name = 'EventStoreUnavailableError';
  }
}

/**
 * An appended event id is already stored, but not at the place of this append (another stream,
 * another revision, or only some of the batch). Retries of the same append never see this.
 */
export class DuplicateEventIdError extends Error {
  constructor(
    readonly streamId: string,
    readonly eventIds: string[],
  ) {
    super(`stream ${streamId}: event ids already stored elsewhere: ${eventIds.join(', ')}`);
    this.name = 'DuplicateEventIdError';
  }
}
