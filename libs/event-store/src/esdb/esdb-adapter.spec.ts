/** What the contract suite does not reach: EventStoreDB's own rules and faults on the wire. */
import { randomUUID } from 'node:crypto';
import {
  DuplicateEventIdError,
  EventStoreUnavailableError,
  ExpectedRevision,
  NewEvent,
  RecordedEvent,
  START,
  WrongExpectedRevisionError,
} from '../port';
import { consume } from '@ledger/event-store/test/contract/subscription-collector';
import { EsdbEventStore } from './esdb-event-store';
import { EsdbTestServer, startEsdbTestServer } from '@ledger/event-store/test/esdb-test-server';

function event(label: string): NewEvent {
  return { id: randomUUID(), type: 'NumberAdded.v1', data: { label }, metadata: { actor: 'esdb-spec' } };
}

describe.each([
  { protocol: 'BatchAppend, as servers since 21.10 offer', batchAppend: true },
  { protocol: 'plain Append, as older servers offer', batchAppend: false },
])('EsdbEventStore appending through $protocol', ({ batchAppend }) => {
  let server: EsdbTestServer;
  let store: EsdbEventStore;

  beforeEach(async () => {
    server = await startEsdbTestServer({ batchAppend });
    store = new EsdbEventStore(server.url);
  });

  afterEach(async () => {
    await store.close();
    await server.stop();
  });

  it('keeps the system events of a fresh server out of the log', async () => {
    expect(await store.headPosition()).toBe(START);
    expect(await store.readAll(START, 100)).toEqual([]);
    await store.append('number-1', [event('first')], 'no_stream');
    expect((await store.readAll(START, 100)).map((e) => e.streamId)).toEqual(['number-1']);
    const subscribed = await consume(store.subscribeToAll(START), (seen) => seen.length >= 2, 300);
    expect(subscribed.map((e) => e.streamId)).toEqual(['number-1']);
  });

  it('reports a wrong expected revision with the stream, the expectation and the actual revision', async () => {
    await store.append('number-2', [event('a'), event('b')], 'no_stream');
    const attempt = (expected: ExpectedRevision) => store.append('number-2', [event('late')], expected).catch((e) => e);

    const stale = await attempt(0);
    expect(stale).toBeInstanceOf(WrongExpectedRevisionError);
    expect(stale).toMatchObject({ streamId: 'number-2', expected: 0, actual: 1 });
    expect(stale.message).toBe('stream number-2: expected revision 0, actual 1');
    expect(await attempt('no_stream')).toMatchObject({ expected: 'no_stream', actual: 1 });
    const missing = await store.append('number-3', [event('x')], 5).catch((e) => e);
    expect(missing).toMatchObject({ name: 'WrongExpectedRevisionError', expected: 5, actual: 'no_stream' });
  });

  it('tells a retry (same ids, same place) from the same ids at another place of the stream', async () => {
    const retried = [event('a'), event('b')];
    await store.append('number-4', [event('0')], 'no_stream');
    const first = await store.append('number-4', retried, 0);
    await expect(store.append('number-4', retried, 0)).resolves.toEqual(first);
    const misplaced = await store.append('number-4', retried.slice(1), 0).catch((e) => e);
    expect(misplaced).toBeInstanceOf(DuplicateEventIdError);
    expect(misplaced).toMatchObject({ streamId: 'number-4', eventIds: [retried[1].id] });
    expect((await store.readStream('number-4')).map((e) => e.id)).toEqual([expect.any(String), ...retried.map((e) => e.id)]);
    expect(await store.readAll(START, 100)).toHaveLength(3);
  });

  it('resumes a subscription after dropped connections, losing and repeating nothing', async () => {
    const from = await store.headPosition();
    const subscription = store.subscribeToAll(from, { streamPrefixes: ['number-'] });
    const appended: string[] = [];
    const delivered: RecordedEvent[] = [];
    const giveUp = setTimeout(() => void subscription.close(), 5_000);
    const collecting = (async () => {
      for await (const batch of subscription) {
        delivered.push(...batch);
        if (delivered.length >= 30) break;
      }
    })();
    for (let i = 0; i < 30; i++) {
      const e = event(`e${i}`);
      appended.push(e.id);
      await appendThroughFaults(store, `number-${i % 3}`, e, i < 3 ? 'no_stream' : Math.floor(i / 3) - 1);
      if (i === 9 || i === 19) {
        // Drop a live subscription (not one still backing off), then keep appending while it is down.
        await until(() => server.subscriptionsOpened() === (i === 9 ? 1 : 2));
        server.dropConnections();
      }
    }
    await collecting;
    clearTimeout(giveUp);
    expect(delivered.map((e) => e.id)).toEqual(appended);
    expect(server.subscriptionsOpened()).toBe(3);
  });

  it('reports an unreachable server as unavailable', async () => {
    await server.stop();
    await expect(store.append('number-5', [event('a')], 'any')).rejects.toBeInstanceOf(EventStoreUnavailableError);
    await expect(store.readStream('number-5')).rejects.toBeInstanceOf(EventStoreUnavailableError);
    await expect(store.readAll(START, 10)).rejects.toBeInstanceOf(EventStoreUnavailableError);
    await expect(store.headPosition()).rejects.toBeInstanceOf(EventStoreUnavailableError);
  });
});

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('EsdbEventStore with a server that answers retries without a position', () => {
  it('still reports the position of the original append', async () => {
    const server = await startEsdbTestServer({ positionOnRetries: false });
    const store = new EsdbEventStore(server.url);
    try {
      const events = [event('a'), event('b')];
      await store.append('number-6', [event('0')], 'no_stream');
      const first = await store.append('number-6', events, 0);
      await store.append('number-6', [event('later')], 2);
      expect(await store.append('number-6', events, 0)).toEqual(first);
    } finally {
      await store.close();
      await server.stop();
    }
  });
});

/** A writer that retries with the same event ids while the connection is down: EventStoreDB de-duplicates. */
async function appendThroughFaults(store: EsdbEventStore, streamId: string, e: NewEvent, expected: ExpectedRevision) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await store.append(streamId, [e], expected);
    } catch (error) {
      if (!(error instanceof EventStoreUnavailableError) || attempt > 100) throw error;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}
