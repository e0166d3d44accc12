import { PgliteSqlClient } from '@ledger/sql';
import { numberEvents } from '@ledger/event-store/test/contract/contract-events';
import { describeEventStoreContract } from '@ledger/event-store/test/contract/event-store.contract';
import { consume } from '@ledger/event-store/test/contract/subscription-collector';
import { DuplicateEventIdError, EventStoreUnavailableError, START } from './port';
import { SqlEventStore } from './sql-event-store';
import { openEventStore } from './open-event-store';

/** Longer than Jest's timeout (60 s): what must happen before it cannot be the work of a timer. */
const BEYOND_TEST_TIMEOUT_MS = 600_000;

describeEventStoreContract('PGlite (in memory)', async () => {
  const sql = await PgliteSqlClient.open();
  return { store: new SqlEventStore(sql), cleanup: () => sql.close() };
});

describeEventStoreContract('PGlite (in memory), every appendMany by COPY', async () => {
  const sql = await PgliteSqlClient.open();
  return { store: new SqlEventStore(sql, { copyFromStreams: 1 }), cleanup: () => sql.close() };
});

describe('SqlEventStore specifics (on PGlite)', () => {
  let sql: PgliteSqlClient;
  let store: SqlEventStore;

  beforeAll(async () => {
    sql = await PgliteSqlClient.open();
    store = new SqlEventStore(sql);
    await store.init();
  });

  afterAll(async () => {
    await store.close();
    await sql.close();
  });

  it('starts with an empty log', async () => {
    expect(await store.headPosition()).toBe(START);
    expect(await store.readAll(START, 10)).toEqual([]);
  });

  it('refuses an event id already stored at another place, and writes nothing', async () => {
    const [event] = numberEvents(1);
    await store.append('number-1', [event], 'no_stream');
    await expect(store.append('number-2', [event], 'no_stream')).rejects.toBeInstanceOf(DuplicateEventIdError);
    await expect(store.append('number-1', [event, ...numberEvents(1)], 0)).rejects.toBeInstanceOf(DuplicateEventIdError);
    expect(await store.readStream('number-2')).toEqual([]);
    expect(await store.readStream('number-1')).toHaveLength(1);
  });

  it('refuses an append that carries the same event id twice', async () => {
    const [event] = numberEvents(1);
    await expect(store.append('number-3', [event, event], 'no_stream')).rejects.toThrow(/same event id/);
    expect(await store.readStream('number-3')).toEqual([]);
  });

  it('checks the expected revision of an empty append without writing', async () => {
    await store.append('number-4', numberEvents(2), 'no_stream');
    expect((await store.append('number-4', [], 1)).nextRevision).toBe(1);
    await expect(store.append('number-4', [], 'no_stream')).rejects.toMatchObject({ actual: 1 });
    expect(await store.readStream('number-4')).toHaveLength(2);
  });

  it('treats % and _ in a stream prefix literally', async () => {
    const from = await store.headPosition();
    await store.append('acc_1-x', numberEvents(1), 'no_stream');
    await store.append('accX1-x', numberEvents(1), 'no_stream');
    const read = await store.readAll(from, 10, { streamPrefixes: ['acc_1'] });
    expect(read.map((e) => e.streamId)).toEqual(['acc_1-x']);
  });

  it('wakes subscriptions of another store instance on the same database', async () => {
    // Past Jest's timeout: only the append's wake-up can deliver in time, never the poll nor the deadline.
    const other = new SqlEventStore(sql, { pollMs: BEYOND_TEST_TIMEOUT_MS });
    const from = await store.headPosition();
    const received = consume(other.subscribeToAll(from, { streamPrefixes: ['wake-'] }), (s) => s.length >= 1, BEYOND_TEST_TIMEOUT_MS);
    await new Promise((r) => setTimeout(r, 30));
    await store.append('wake-1', numberEvents(1), 'no_stream');
    expect(await received).toHaveLength(1);
    await other.close();
  });

  it('ends its subscriptions when the store is closed', async () => {
    const own = new SqlEventStore(sql);
    const iterating = consume(own.subscribeToAll(START, { streamPrefixes: ['nothing-'] }), () => false, BEYOND_TEST_TIMEOUT_MS);
    await new Promise((r) => setTimeout(r, 30));
    await own.close();
    expect(await iterating).toEqual([]); // ended by the close: the deadline lies past Jest's timeout
  });

  it('is what openEventStore gives without an EventStoreDB url, ready to use', async () => {
    const opened = await openEventStore({ sql });
    expect(opened).toBeInstanceOf(SqlEventStore);
    const [event] = numberEvents(1);
    await opened.append('opened-1', [event], 'no_stream');
    expect((await store.readStream('opened-1')).map((e) => e.id)).toEqual([event.id]);
    await opened.close();
  });

  // Last, as it closes the database this block shares (opening another PGlite costs seconds).
  it('reports a closed embedded database as unavailable', async () => {
    await sql.close();
    await expect(store.append('number-1', numberEvents(1), 'any')).rejects.toBeInstanceOf(EventStoreUnavailableError);
    await expect(store.readAll(START, 10)).rejects.toBeInstanceOf(EventStoreUnavailableError);
    await expect(store.headPosition()).rejects.toBeInstanceOf(EventStoreUnavailableError);
  });
});
