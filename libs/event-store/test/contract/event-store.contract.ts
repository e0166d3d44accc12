import {
  comparePositions,
  EventStore,
  ExpectedRevision,
  isPosition,
  NewEvent,
  RecordedEvent,
  WrongExpectedRevisionError,
} from '@ledger/event-store/port';
import {
  appendWithRetry,
  expectFaithfulFollow,
  followWithReadAll,
  numberEvent,
  numberEvents,
  runNamespace,
} from './contract-events';
import { consume } from './subscription-collector';
import { readAllVisible } from './read-visible';

/** How long a subscription may take to deliver before it counts as hung: a bound for a busy machine (under Jest's 60 s), not a measure. */
const HANG_MS = 50_000;

export interface OpenedEventStore {
  store: EventStore;
  cleanup: () => Promise<void>;
}

export interface ContractLoad {
  /** Concurrent writers in the global-log test (at least 8). */
  writers?: number;
  /** Appends per writer (each of 1 to 3 events). */
  appendsPerWriter?: number;
}

/**
 * The behaviour every EventStore adapter must show. `open` gives a store; the suite calls
 * `init()` (which must be idempotent), then `close()` and `cleanup()` at the end.
 * Streams are named uniquely per run, so the suite may run against a shared server.
 */
export function describeEventStoreContract(
  name: string,
  open: () => Promise<OpenedEventStore>,
  load: ContractLoad = {},
): void {
  describe(`EventStore contract: ${name}`, () => {
    const ns = runNamespace();
    let opened: OpenedEventStore;
    let store: EventStore;

    beforeAll(async () => {
      opened = await open();
      store = opened.store;
      await store.init();
      await store.init();
    });

    afterAll(async () => {
      await store?.close();
      await opened?.cleanup();
    });

    describeStreams(() => store, `${ns}-streams-`);
    describeConcurrency(() => store, `${ns}-occ-`);
    describeIdempotency(() => store, `${ns}-idem-`);
    describeAppendMany(() => store, `${ns}-many-`);
    describeGlobalLog(() => store, `${ns}-log-`);
    describeConcurrentFollowing(() => store, `${ns}-race-`, load);
    describeSubscriptions(() => store, `${ns}-sub-`);
  });
}

function describeStreams(store: () => EventStore, prefix: string): void {
  describe('append and read a stream', () => {
    const streamId = `${prefix}number-31201234567`;
    const events = numberEvents(5, 'rev');

    beforeAll(async () => {
      await store().append(streamId, events.slice(0, 3), 'no_stream');
      await store().append(streamId, events.slice(3), 2);
    });

    it('reads back every field of the appended events, in order', async () => {
      const read = await store().readStream(streamId);
      expect(read.map((e) => e.revision)).toEqual([0, 1, 2, 3, 4]);
      read.forEach((e, i) => {
        expect(e).toMatchObject({
          streamId,
          id: events[i].id,
          type: events[i].type,
          data: events[i].data,
          metadata: events[i].metadata,
        });
        expect(e.recordedAt).toBeInstanceOf(Date);
        expect(Math.abs(e.recordedAt.getTime() - Date.now())).toBeLessThan(10 * 60_000);
        expect(isPosition(e.position)).toBe(true);
      });
      for (let i = 1; i < read.length; i++) expect(comparePositions(read[i - 1].position, read[i].position)).toBe(-1);
    });

    it('reports the last revision and the position of the last appended event', async () => {
      const id = `${prefix}report`;
      const result = await store().append(id, numberEvents(2), 'no_stream');
      const [last] = await store().readStream(id, { direction: 'backwards', maxCount: 1 });
      expect(result).toEqual({ nextRevision: 1, position: last.position });
      const next = await store().append(id, numberEvents(3), 1);
      expect(next.nextRevision).toBe(4);
      expect(comparePositions(result.position, next.position)).toBe(-1);
    });

    it('reads forwards from a revision, at most maxCount events', async () => {
      const read = await store().readStream(streamId, { fromRevision: 2, maxCount: 2 });
      expect(read.map((e) => e.id)).toEqual([events[2].id, events[3].id]);
    });

    it('reads backwards from the end or from a revision', async () => {
      const all = await store().readStream(streamId, { direction: 'backwards' });
      expect(all.map((e) => e.revision)).toEqual([4, 3, 2, 1, 0]);
      const some = await store().readStream(streamId, { direction: 'backwards', fromRevision: 3, maxCount: 2 });
      expect(some.map((e) => e.id)).toEqual([events[3].id, events[2].id]);
    });

    it('returns no events past the end or for a stream that does not exist', async () => {
      expect(await store().readStream(streamId, { fromRevision: 5 })).toEqual([]);
      expect(await store().readStream(`${prefix}missing`)).toEqual([]);
      expect(await store().readStream(`${prefix}missing`, { direction: 'backwards' })).toEqual([]);
    });
  });
}

async function expectConflict(
  attempt: Promise<unknown>,
  streamId: string,
  expected: ExpectedRevision,
  actual: number | 'no_stream',
): Promise<void> {
  const err = await attempt.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WrongExpectedRevisionError);
  expect(err).toMatchObject({ streamId, expected, actual });
}

function describeConcurrency(store: () => EventStore, prefix: string): void {
  describe('expected revision', () => {
    const existing = `${prefix}existing`;

    beforeAll(async () => {
      await store().append(existing, numberEvents(3), 'no_stream');
    });

    it('rejects no_stream on an existing stream and writes nothing', async () => {
      await expectConflict(store().append(existing, numberEvents(1), 'no_stream'), existing, 'no_stream', 2);
      expect(await store().readStream(existing)).toHaveLength(3);
    });

    it('rejects a revision that is not the last one', async () => {
      await expectConflict(store().append(existing, numberEvents(1), 1), existing, 1, 2);
      await expectConflict(store().append(existing, numberEvents(1), 7), existing, 7, 2);
      expect(await store().readStream(existing)).toHaveLength(3);
    });

    it('rejects a revision on a stream that does not exist, and does not create it', async () => {
      const missing = `${prefix}missing`;
      await expectConflict(store().append(missing, numberEvents(1), 0), missing, 0, 'no_stream');
      expect(await store().readStream(missing)).toEqual([]);
    });

    it('appends with any to new and existing streams', async () => {
      const id = `${prefix}any`;
      expect((await store().append(id, numberEvents(2), 'any')).nextRevision).toBe(1);
      expect((await store().append(id, numberEvents(1), 'any')).nextRevision).toBe(2);
      expect((await store().readStream(id)).map((e) => e.revision)).toEqual([0, 1, 2]);
    });

    it('lets exactly one of several racing appends with the same expected revision win', async () => {
      const id = `${prefix}race`;
      await store().append(id, numberEvents(1), 'no_stream');
      const racers = Array.from({ length: 6 }, () => store().append(id, numberEvents(2), 0));
      const outcomes = await Promise.allSettled(racers);
      const won = outcomes.filter((o) => o.status === 'fulfilled');
      const lost = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason] : []));
      expect(won).toHaveLength(1);
      lost.forEach((reason) => expect(reason).toMatchObject({ name: 'WrongExpectedRevisionError', actual: 2 }));
      expect(await store().readStream(id)).toHaveLength(3);
    });

    it('lets exactly one of several racing creations of a stream win', async () => {
      const id = `${prefix}create-race`;
      const outcomes = await Promise.allSettled(
        Array.from({ length: 6 }, () => store().append(id, numberEvents(1), 'no_stream')),
      );
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      expect(await store().readStream(id)).toHaveLength(1);
    });
  });
}

function describeIdempotency(store: () => EventStore, prefix: string): void {
  describe('idempotent re-append', () => {
    it('returns the original result and writes nothing for the same ids at the same place', async () => {
      const id = `${prefix}created`;
      const events = numberEvents(2);
      const first = await store().append(id, events, 'no_stream');
      expect(await store().append(id, events, 'no_stream')).toEqual(first);
      expect((await store().readStream(id)).map((e) => e.id)).toEqual(events.map((e) => e.id));
    });

    it('recognises a retry after later events were appended to the stream', async () => {
      const id = `${prefix}continued`;
      await store().append(id, numberEvents(1), 'no_stream');
      const retried = numberEvents(2);
      const first = await store().append(id, retried, 0);
      await store().append(id, numberEvents(1), 2);
      expect(await store().append(id, retried, 0)).toEqual(first);
      expect(await store().readStream(id)).toHaveLength(4);
      expect((await store().append(id, numberEvents(1), 3)).nextRevision).toBe(4);
    });

    it('recognises a retry with expected revision any', async () => {
      const id = `${prefix}any`;
      const events = numberEvents(3);
      const first = await store().append(id, events, 'any');
      expect(await store().append(id, events, 'any')).toEqual(first);
      expect(await store().readStream(id)).toHaveLength(3);
    });
  });
}

function describeAppendMany(store: () => EventStore, prefix: string): void {
  describe('append to many streams in one call', () => {
    it('writes new and existing streams, each at its own expected revision', async () => {
      const existing = `${prefix}existing`;
      await store().append(existing, numberEvents(2), 'no_stream');
      const appends = [
        { streamId: `${prefix}new-a`, events: numberEvents(1), expected: 'no_stream' as const },
        { streamId: existing, events: numberEvents(2), expected: 1 },
        { streamId: `${prefix}new-b`, events: numberEvents(3), expected: 'no_stream' as const },
      ];
      const result = await store().appendMany(appends);
      expect(result.conflicts).toEqual(new Set());
      for (const a of appends) {
        const read = await store().readStream(a.streamId);
        expect(read.slice(-a.events.length).map((e) => e.id)).toEqual(a.events.map((e) => e.id));
        expect(result.appended.get(a.streamId)).toEqual({ nextRevision: read.length - 1, position: read[read.length - 1].position });
      }
    });

    it('reports the streams whose expected revision does not match, writes nothing to them and the others all the same', async () => {
      const existing = `${prefix}moved`;
      await store().append(existing, numberEvents(3), 'no_stream');
      const result = await store().appendMany([
        { streamId: existing, events: numberEvents(1), expected: 'no_stream' },
        { streamId: `${prefix}written`, events: numberEvents(2), expected: 'no_stream' },
        { streamId: `${prefix}missing`, events: numberEvents(1), expected: 4 },
      ]);
      expect(result.conflicts).toEqual(new Set([existing, `${prefix}missing`]));
      expect([...result.appended.keys()]).toEqual([`${prefix}written`]);
      expect(await store().readStream(existing)).toHaveLength(3);
      expect(await store().readStream(`${prefix}missing`)).toEqual([]);
      expect(await store().readStream(`${prefix}written`)).toHaveLength(2);
    });

    it('counts a retry of the same events at the same place as appended, with the original result, writing nothing', async () => {
      const events = numberEvents(2);
      const streamId = `${prefix}retried`;
      const first = await store().appendMany([{ streamId, events, expected: 'no_stream' }]);
      const fresh = { streamId: `${prefix}after-retry`, events: numberEvents(1), expected: 'no_stream' as const };
      const again = await store().appendMany([{ streamId, events, expected: 'no_stream' }, fresh]);
      expect(again.appended.get(streamId)).toEqual(first.appended.get(streamId));
      expect(again.conflicts).toEqual(new Set());
      expect(await store().readStream(streamId)).toHaveLength(2);
      expect(await store().readStream(fresh.streamId)).toHaveLength(1);
    });

    it('refuses two appends to one stream in one call, and writes nothing', async () => {
      const streamId = `${prefix}twice`;
      await expect(store().appendMany([
        { streamId, events: numberEvents(1), expected: 'no_stream' },
        { streamId, events: numberEvents(1), expected: 0 },
      ])).rejects.toThrow(/one append per stream/);
      expect(await store().readStream(streamId)).toEqual([]);
    });

    it('answers an empty call with nothing appended', async () => {
      expect(await store().appendMany([])).toEqual({ appended: new Map(), conflicts: new Set() });
    });
  });
}

function describeGlobalLog(store: () => EventStore, prefix: string): void {
  describe('global log', () => {
    it('reads the events appended after a position, in log order, then nothing', async () => {
      const from = await store().headPosition();
      const a = numberEvents(3, 'a');
      const b = numberEvents(2, 'b');
      await store().append(`${prefix}a`, a, 'no_stream');
      const last = await store().append(`${prefix}b`, b, 'no_stream');
      const expectedIds = [...a, ...b].map((e) => e.id);

      const filtered = await readAllVisible(store(), from, 100, expectedIds.length, { streamPrefixes: [prefix] });
      expect(filtered.map((e) => e.id)).toEqual(expectedIds);
      expect(filtered[filtered.length - 1].position).toBe(last.position);
      expect(await store().readAll(last.position, 100, { streamPrefixes: [prefix] })).toEqual([]);

      const unfiltered = await store().readAll(from, 1000);
      expect(unfiltered.map((e) => e.id).filter((id) => expectedIds.includes(id))).toEqual(expectedIds);
      expect(comparePositions(await store().headPosition(), last.position)).toBeGreaterThanOrEqual(0);
      expect(comparePositions(await store().committedPosition(), await store().headPosition())).toBeGreaterThanOrEqual(0);
    });

    it('returns at most maxCount events, and the rest from the last one read', async () => {
      const from = await store().headPosition();
      const events = numberEvents(5);
      await store().append(`${prefix}paged`, events, 'no_stream');
      const filter = { streamPrefixes: [`${prefix}paged`] };
      const page1 = await readAllVisible(store(), from, 2, 2, filter);
      const page2 = await readAllVisible(store(), page1[1].position, 10, 3, filter);
      expect([...page1, ...page2].map((e) => e.id)).toEqual(events.map((e) => e.id));
    });

    it('keeps only the streams whose id starts with one of the prefixes', async () => {
      const from = await store().headPosition();
      const streams = ['pf-number-1', 'pf-account-1', 'pf-audit-1', 'pf-number-2'].map((s) => `${prefix}${s}`);
      const byStream = new Map<string, NewEvent>();
      for (const s of streams) {
        const event = numberEvent(s);
        byStream.set(s, event);
        await store().append(s, [event], 'no_stream');
      }
      const read = await readAllVisible(store(), from, 100, 3, {
        streamPrefixes: [`${prefix}pf-number-`, `${prefix}pf-account-`],
      });
      expect(read.map((e) => e.streamId)).toEqual([streams[0], streams[1], streams[3]]);
      expect(read.map((e) => e.id)).toEqual([streams[0], streams[1], streams[3]].map((s) => byStream.get(s)!.id));
    });
  });
}

function describeConcurrentFollowing(store: () => EventStore, prefix: string, load: ContractLoad): void {
  const writers = Math.max(8, load.writers ?? 8);
  const appendsPerWriter = load.appendsPerWriter ?? 12;

  it(`lets followers see every event exactly once while ${writers} writers append to shared streams`, async () => {
    const streams = Array.from({ length: 5 }, (_, i) => `${prefix}number-${i}`);
    const plan = Array.from({ length: writers }, (_, w) =>
      Array.from({ length: appendsPerWriter }, (_, i) => ({ stream: streams[(w + i * 3) % streams.length], size: 1 + ((w + i) % 3) })),
    );
    const total = plan.flat().reduce((n, p) => n + p.size, 0);
    const appended = new Set<string>();
    const from = await store().headPosition();
    const filter = { streamPrefixes: [prefix] };

    const subscribed = consume(store().subscribeToAll(from, filter), (seen) => seen.length >= total, 30_000);
    const polled = followWithReadAll(store(), from, [prefix], (seen) => seen.length >= total, 30_000);
    await Promise.all(
      plan.map(async (appends, w) => {
        for (const { stream, size } of appends) {
          const events = numberEvents(size, `w${w}-`);
          events.forEach((e) => appended.add(e.id));
          if (w % 4 === 3) await store().append(stream, events, 'any');
          else await appendWithRetry(store(), stream, events);
        }
      }),
    );
    const [bySubscription, byReadAll] = await Promise.all([subscribed, polled]);

    expect(appended.size).toBe(total);
    expectFaithfulFollow(bySubscription, appended);
    expectFaithfulFollow(byReadAll, appended);
    expect(byReadAll.map((e) => e.id)).toEqual(bySubscription.map((e) => e.id));
    expect(await store().readAll(byReadAll[byReadAll.length - 1].position, 10, filter)).toEqual([]);
    for (const s of streams) {
      const fromStream = (await store().readStream(s)).map((e) => e.id);
      expect(byReadAll.filter((e) => e.streamId === s).map((e) => e.id)).toEqual(fromStream);
    }
  });
}

function describeSubscriptions(store: () => EventStore, prefix: string): void {
  describe('subscription to the global log', () => {
    it('delivers past events, then new ones as they are appended', async () => {
      const id = `${prefix}live`;
      const from = await store().headPosition();
      const past = numberEvents(2);
      await store().append(id, past, 'no_stream');
      const subscription = store().subscribeToAll(from, { streamPrefixes: [id] });
      const seen: RecordedEvent[] = await consume(subscription, (s) => s.length >= 2, HANG_MS);
      expect(seen.map((e) => e.id)).toEqual(past.map((e) => e.id));

      const live = store().subscribeToAll(seen[1].position, { streamPrefixes: [id] });
      const received = consume(live, (s) => s.length >= 1, HANG_MS);
      await new Promise((r) => setTimeout(r, 50));
      const next = numberEvent('live');
      await store().append(id, [next], 1);
      expect((await received).map((e) => e.id)).toEqual([next.id]);
    });

    it('resumes after the last processed event without loss or duplicates', async () => {
      const filter = { streamPrefixes: [prefix + 'resume-'] };
      const from = await store().headPosition();
      const before = numberEvents(6, 'before');
      await store().append(`${prefix}resume-1`, before, 'no_stream');

      const processed = await consume(store().subscribeToAll(from, filter), (s) => s.length >= 4, HANG_MS);
      expect(processed).toHaveLength(4);
      const checkpoint = processed[3].position;

      const after = numberEvents(3, 'after');
      await store().append(`${prefix}resume-2`, after.slice(0, 2), 'no_stream');
      await store().append(`${prefix}resume-1`, after.slice(2), 5);
      await consume(store().subscribeToAll(checkpoint, filter), (s) => s.length >= 9, HANG_MS, processed);

      expect(processed.map((e) => e.id)).toEqual([...before, ...after].map((e) => e.id));
    });

    it('ends the iteration promptly when closed', async () => {
      const subscription = store().subscribeToAll(await store().headPosition(), { streamPrefixes: [`${prefix}quiet`] });
      const batches: RecordedEvent[][] = [];
      const iterating = (async () => {
        for await (const batch of subscription) batches.push(batch);
      })();
      await new Promise((r) => setTimeout(r, 100));
      const closing = Date.now();
      await subscription.close();
      await iterating;
      expect(Date.now() - closing).toBeLessThan(1_000);
      expect(batches).toEqual([]);
    });
  });
}
