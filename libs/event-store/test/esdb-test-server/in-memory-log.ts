/**
 * The test server's storage: one transaction log ($all) and an index of streams,
 * with EventStoreDB's rules for expected revisions and idempotent re-appends.
 */

export interface StoredEvent {
  streamId: string;
  revision: bigint;
  id: string;
  type: string;
  contentType: string;
  data: Uint8Array;
  metadata: Uint8Array;
  /** Log offset; single-event transactions, so commit and prepare positions are equal. */
  position: bigint;
  /** .NET ticks (100 ns) since the Unix epoch, as the real server sends them. */
  createdTicks: bigint;
}

export type ProposedEvent = Pick<StoredEvent, 'id' | 'type' | 'contentType' | 'data' | 'metadata'>;

export type Expectation =
  | { kind: 'any' }
  | { kind: 'no_stream' }
  | { kind: 'stream_exists' }
  | { kind: 'revision'; revision: bigint };

type Success = { kind: 'written' | 'idempotent'; revision: bigint; position?: bigint };

export type AppendOutcome = Success | { kind: 'wrong_expected_version'; current?: bigint; expected: Expectation };

/** Bytes a record takes in the log besides its payload; only makes positions look realistic. */
const RECORD_OVERHEAD = 120n;
const TICKS_PER_MS = 10_000n;

export class InMemoryLog {
  readonly all: StoredEvent[] = [];
  private readonly streams = new Map<string, StoredEvent[]>();
  private readonly listeners = new Set<() => void>();
  private nextOffset = 0n;

  /** `positionOnRetries: false` answers idempotent re-appends without a position, as some server versions do. */
  constructor(private readonly positionOnRetries = true) {}

  stream(streamId: string): readonly StoredEvent[] | undefined {
    return this.streams.get(streamId);
  }

  /** Called after every write, synchronously. Returns the unsubscribe function. */
  onAppended(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  append(streamId: string, expected: Expectation, events: ProposedEvent[]): AppendOutcome {
    const stream = this.streams.get(streamId) ?? [];
    const current = BigInt(stream.length) - 1n;
    const ids = events.map((e) => e.id);
    const replay = findIdempotentReplay(stream, expected, ids);
    if (replay) return this.positionOnRetries ? replay : { ...replay, position: undefined };
    if (!expectationHolds(expected, current)) {
      return { kind: 'wrong_expected_version', current: current < 0n ? undefined : current, expected };
    }
    if (events.length === 0) return { kind: 'written', revision: current };
    return this.write(streamId, stream, events);
  }

  private write(streamId: string, stream: StoredEvent[], events: ProposedEvent[]): AppendOutcome {
    const createdTicks = BigInt(Date.now()) * TICKS_PER_MS;
    for (const event of events) {
      const stored: StoredEvent = {
        ...event,
        streamId,
        revision: BigInt(stream.length),
        position: this.nextOffset,
        createdTicks,
      };
      this.nextOffset += RECORD_OVERHEAD + BigInt(event.data.length + event.metadata.length + streamId.length);
      stream.push(stored);
      this.all.push(stored);
    }
    this.streams.set(streamId, stream);
    const last = stream[stream.length - 1];
    for (const listener of [...this.listeners]) listener();
    return { kind: 'written', revision: last.revision, position: last.position };
  }
}

function expectationHolds(expected: Expectation, current: bigint): boolean {
  switch (expected.kind) {
    case 'any':
      return true;
    case 'no_stream':
      return current === -1n;
    case 'stream_exists':
      return current >= 0n;
    case 'revision':
      return current === expected.revision;
  }
}

/**
 * The same event ids already stored where this append would have put them: the
 * server answers with the original result and writes nothing. With `any` the ids
 * may sit anywhere in the stream, as long as they are consecutive.
 */
function findIdempotentReplay(
  stream: StoredEvent[],
  expected: Expectation,
  ids: string[],
): Success | undefined {
  if (ids.length === 0) return undefined;
  const first = firstRevisionOf(stream, expected, ids[0]);
  if (first === undefined || first < 0 || first >= stream.length) return undefined;
  const matched = ids.every((id, i) => stream[first + i]?.id === id);
  if (!matched) return undefined;
  const last = stream[first + ids.length - 1];
  return { kind: 'idempotent', revision: last.revision, position: last.position };
}

function firstRevisionOf(stream: StoredEvent[], expected: Expectation, firstId: string): number | undefined {
  switch (expected.kind) {
    case 'no_stream':
      return 0;
    case 'revision':
      return Number(expected.revision) + 1;
    case 'any':
    case 'stream_exists':
      return stream.findIndex((e) => e.id === firstId);
  }
}
