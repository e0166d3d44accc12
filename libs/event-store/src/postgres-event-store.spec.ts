import { createScratchDatabase, ScratchDatabase, testDatabaseUrl } from '@ledger/sql/test/test-database';
import { appendWithRetry, expectFaithfulFollow, followWithReadAll, numberEvents } from '@ledger/event-store/test/contract/contract-events';
import { describeEventStoreContract } from '@ledger/event-store/test/contract/event-store.contract';
import { consume } from '@ledger/event-store/test/contract/subscription-collector';
import { comparePositions, RecordedEvent } from './port';
import { SqlEventStore } from './sql-event-store';
import { APPEND_TO_NEW_STREAM } from './sql/append-statements';
import { readAllVisible } from '@ledger/event-store/test/contract/read-visible';

const describeWithServer = testDatabaseUrl ? describe : describe.skip;
if (!testDatabaseUrl) console.warn('LEDGER_TEST_DATABASE_URL is not set: PostgreSQL event-store suites skipped');

describeWithServer('SqlEventStore on a PostgreSQL server', () => {
  describeEventStoreContract('PostgreSQL', async () => {
    const db = await createScratchDatabase('evstore');
    return { store: new SqlEventStore(db.client), cleanup: () => db.drop() };
  });

  describeEventStoreContract('PostgreSQL, every appendMany by COPY', async () => {
    const db = await createScratchDatabase('evcopy');
    return { store: new SqlEventStore(db.client, { copyFromStreams: 1 }), cleanup: () => db.drop() };
  });

  describe('global log under load', () => {
    let db: ScratchDatabase;
    let store: SqlEventStore;

    beforeAll(async () => {
      db = await createScratchDatabase('evload');
      store = new SqlEventStore(db.client);
      await store.init();
    });

    afterAll(async () => {
      await store.close();
      await db.drop();
    });

    it('shows 16 concurrent writers x 40 appends to followers exactly once, in stream order', async () => {
      const streams = Array.from({ length: 12 }, (_, i) => `load-number-${i}`);
      const plan = Array.from({ length: 16 }, (_, w) =>
        Array.from({ length: 40 }, (_, i) => ({ stream: streams[(w * 7 + i) % streams.length], size: 1 + ((w + i) % 3) })),
      );
      const total = plan.flat().reduce((n, p) => n + p.size, 0);
      const appended = new Set<string>();
      const enough = (seen: RecordedEvent[]) => seen.length >= total;
      const subscribed = consume(store.subscribeToAll('0:0', { streamPrefixes: ['load-'] }), enough, 60_000);
      const polled = followWithReadAll(store, '0:0', ['load-'], enough, 60_000);

      await Promise.all(
        plan.map(async (appends, w) => {
          for (const { stream, size } of appends) {
            const events = numberEvents(size, `w${w}-`);
            events.forEach((e) => appended.add(e.id));
            if (w % 5 === 4) await store.append(stream, events, 'any');
            else await appendWithRetry(store, stream, events);
          }
        }),
      );

      const [bySubscription, byReadAll] = await Promise.all([subscribed, polled]);
      expectFaithfulFollow(bySubscription, appended);
      expectFaithfulFollow(byReadAll, appended);
    });

    it('holds back later events until an earlier transaction commits, then delivers it first', async () => {
      const from = await store.headPosition();
      const filter = { streamPrefixes: ['late-'] };
      let commit!: () => void;
      const committed = new Promise<void>((resolve) => (commit = resolve));
      const slow = numberEvents(1, 'slow');
      let started!: () => void;
      const slowStarted = new Promise<void>((resolve) => (started = resolve));

      const slowAppend = db.client.transaction(async (tx) => {
        await tx.query(APPEND_TO_NEW_STREAM, ['late-slow', JSON.stringify(slow), 1]);
        started();
        await committed;
      });
      await slowStarted;
      const fast = numberEvents(3, 'fast');
      for (const e of fast) await store.append(`late-fast-${e.id}`, [e], 'no_stream');

      expect(await store.readAll(from, 100, filter)).toEqual([]);
      commit();
      await slowAppend;
      // Other suites' transactions on the same server may hold the horizon back for a moment.
      const read = await readAllVisible(store, from, 100, 4, filter);
      expect(read.map((e) => e.id)).toEqual([...slow, ...fast].map((e) => e.id));
    });

    it('answers an acknowledged append as committed while an earlier open transaction holds the readable head before it', async () => {
      let commit!: () => void;
      const committed = new Promise<void>((resolve) => (commit = resolve));
      let started!: () => void;
      const slowStarted = new Promise<void>((resolve) => (started = resolve));
      const slowAppend = db.client.transaction(async (tx) => {
        await tx.query(APPEND_TO_NEW_STREAM, ['held-slow', JSON.stringify(numberEvents(1, 'held')), 1]);
        started();
        await committed;
      });
      await slowStarted;
      const acknowledged = await store.append('held-fast', numberEvents(1, 'ack'), 'no_stream');
      try {
        expect(await store.committedPosition()).toBe(acknowledged.position);
        expect(comparePositions(await store.headPosition(), acknowledged.position)).toBeLessThan(0);
      } finally {
        commit();
        await slowAppend;
      }
    });
  });
});
