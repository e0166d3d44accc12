import { PgliteSqlClient, SqlClient } from '@ledger/sql';
import { createScratchDatabase, testDatabaseUrl } from '@ledger/sql/test/test-database';
import { numberEvents } from '@ledger/event-store/test/contract/contract-events';
import { DuplicateEventIdError, RecordedEvent, START, WrongExpectedRevisionError } from '../port';
import { SqlEventStore } from '../sql-event-store';
import { readAllVisible } from '@ledger/event-store/test/contract/read-visible';

const txOf = (e: { position: string }) => e.position.split(':')[0];

/** Group commit behind `SqlEventStore.append`: concurrent appends share a statement, each keeps its own guard. */
function describeGroupCommit(name: string, open: () => Promise<{ sql: SqlClient; drop(): Promise<void> }>) {
  describe(`group commit of concurrent appends (${name})`, () => {
    let db: { sql: SqlClient; drop(): Promise<void> };
    let store: SqlEventStore;
    let n = 0;
    const stream = () => `group-${name}-${n++}`;

    beforeAll(async () => {
      db = await open();
      store = new SqlEventStore(db.sql, { groupCommit: { inFlight: 1 } });
      await store.init();
    });

    afterAll(async () => {
      await store.close();
      await db.drop();
    });

    it('writes appends that arrive together in one transaction, each stream in its own order', async () => {
      const streams = Array.from({ length: 12 }, stream);
      const results = await Promise.all(streams.map((s) => store.append(s, numberEvents(2), 'no_stream')));
      expect(results.map((r) => r.nextRevision)).toEqual(streams.map(() => 1));
      const stored = await Promise.all(streams.map((s) => store.readStream(s)));
      expect(stored.map((events) => events.map((e) => e.revision))).toEqual(streams.map(() => [0, 1]));
      // each append answers the position of its own last event
      expect(results.map((r) => r.position)).toEqual(stored.map((events) => events[1].position));
      // the first went alone; the 11 that queued behind it went as one transaction
      expect(new Set(stored.slice(1).map((events) => txOf(events[0]))).size).toBe(1);
      const log = await readAllVisible(store, START, 1000, 24, { streamPrefixes: streams });
      const ours = log.filter((e) => streams.includes(e.streamId));
      expect(ours).toHaveLength(24);
    });

    it('refuses only the append whose expected revision is wrong; the others in its group are written', async () => {
      const [a, b, c] = [stream(), stream(), stream()];
      for (const s of [a, b, c]) await store.append(s, numberEvents(1), 'no_stream');
      const outcomes = await Promise.allSettled([
        store.append(a, numberEvents(1), 0),
        store.append(b, numberEvents(1), 5),
        store.append(c, numberEvents(1), 'no_stream'),
        store.append(stream(), numberEvents(1), 'no_stream'),
      ]);
      expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
      expect((outcomes[1] as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedRevisionError);
      expect((outcomes[2] as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedRevisionError);
      expect((await store.readStream(a)).map((e) => e.revision)).toEqual([0, 1]);
      expect(await store.readStream(b)).toHaveLength(1);
      expect(await store.readStream(c)).toHaveLength(1);
    });

    it('lets exactly one of several appends at the same revision of one stream win', async () => {
      const s = stream();
      await store.append(s, numberEvents(1), 'no_stream');
      const outcomes = await Promise.allSettled(Array.from({ length: 6 }, () => store.append(s, numberEvents(1), 0)));
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      expect(outcomes.filter((o) => o.status === 'rejected' && o.reason instanceof WrongExpectedRevisionError)).toHaveLength(5);
      expect(await store.readStream(s)).toHaveLength(2);
    });

    it('answers a retried append with its original result and a reused event id with an error, inside a group', async () => {
      const [retried, reused] = [stream(), stream()];
      const original = numberEvents(2);
      const first = await store.append(retried, original, 'no_stream');
      const [stolen] = numberEvents(1);
      await store.append(reused, [stolen], 'no_stream');
      const others = Array.from({ length: 4 }, stream);
      const outcomes = await Promise.allSettled([
        store.append(retried, original, 'no_stream'),
        store.append(stream(), [stolen], 'no_stream'),
        ...others.map((s) => store.append(s, numberEvents(1), 'no_stream')),
      ]);
      expect(outcomes[0]).toEqual({ status: 'fulfilled', value: first });
      expect((outcomes[1] as PromiseRejectedResult).reason).toBeInstanceOf(DuplicateEventIdError);
      expect(outcomes.slice(2).map((o) => o.status)).toEqual(others.map(() => 'fulfilled'));
      expect(await store.readStream(retried)).toHaveLength(2);
      const written: RecordedEvent[][] = await Promise.all(others.map((s) => store.readStream(s)));
      expect(written.map((events) => events.length)).toEqual(others.map(() => 1));
    });

    it('when the group statement fails, writes each append alone so that only the faulty one fails', async () => {
      const good = Array.from({ length: 3 }, stream);
      const bad = stream();
      const [faulty] = numberEvents(1);
      const outcomes = await Promise.allSettled([
        store.append(stream(), numberEvents(1), 'no_stream'), // goes alone, the others queue behind it
        ...good.map((s) => store.append(s, numberEvents(1), 'no_stream')),
        store.append(bad, [{ ...faulty, id: 'not-a-uuid' }], 'no_stream'),
      ]);
      expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'rejected']);
      expect((await Promise.all(good.map((s) => store.readStream(s)))).map((events) => events.length)).toEqual([1, 1, 1]);
      expect(await store.readStream(bad)).toEqual([]);
    });
  });
}

describeGroupCommit('PGlite', async () => {
  const sql = await PgliteSqlClient.open();
  return { sql, drop: () => sql.close() };
});

if (testDatabaseUrl) {
  describeGroupCommit('PostgreSQL', async () => {
    const db = await createScratchDatabase('group');
    return { sql: db.client, drop: () => db.drop() };
  });
}
