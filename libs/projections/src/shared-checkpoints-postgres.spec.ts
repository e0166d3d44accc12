/**
 * Two service instances on one database (PostgreSQL): their projectors take turns on the
 * checkpoint rows, so that each event reaches a read model once, whichever instance applies
 * it, whatever batches they read, and a checkpoint never moves back.
 */
import { randomUUID } from 'node:crypto';
import { comparePositions, RecordedEvent } from '@ledger/event-store/port';
import { SqlEventStore } from '@ledger/event-store/sql-event-store';
import { PgSqlClient } from '@ledger/sql/pg-sql-client';
import { createScratchDatabase, ScratchDatabase, testDatabaseUrl } from '@ledger/sql/test/test-database';
import { EventCounts } from '@ledger/projections/test/event-counts';
import { Projector } from './projector';

const STREAMS = 6;
const PER_STREAM = 10;

(testDatabaseUrl ? describe : describe.skip)('projectors of two instances on one database (PostgreSQL)', () => {
  let db: ScratchDatabase;
  let other: PgSqlClient;
  let store: SqlEventStore;
  let events: RecordedEvent[];

  beforeAll(async () => {
    db = await createScratchDatabase('shared');
    other = new PgSqlClient(db.url);
    store = new SqlEventStore(db.client);
    await store.init();
    for (let i = 0; i < PER_STREAM; i++) {
      for (let s = 0; s < STREAMS; s++) {
        await store.append(`number-shared-${s}`, [{ id: randomUUID(), type: 'NumberAdded.v1', data: {}, metadata: {} }], i === 0 ? 'no_stream' : i - 1);
      }
    }
    events = await readableUpTo(store, await store.committedPosition());
  });

  afterAll(async () => {
    await store?.close();
    await other?.close();
    await db?.drop();
  });

  const counts = async () =>
    (await db.client.query<{ stream_id: string; n: number }>('SELECT stream_id, n FROM event_counts ORDER BY stream_id')).rows.map((r) => r.n);
  const checkpoint = async () =>
    (await db.client.query<{ position: string }>(`SELECT position FROM projection_checkpoints WHERE name = 'event-counts'`)).rows[0].position;

  it('applies each event once when both apply overlapping batches at the same time, and never moves a checkpoint back', async () => {
    const one = new Projector(store, db.client, [new EventCounts()]);
    const two = new Projector(store, other, [new EventCounts()]);
    await one.migrate();
    await two.migrate();
    expect(events).toHaveLength(STREAMS * PER_STREAM);
    const slice = (from: number, to: number) => events.slice(from, to);
    await Promise.all([
      (async () => {
        await one.applyBatch(slice(0, 25));
        await one.applyBatch(slice(25, 50));
        await one.applyBatch(slice(50, 60));
      })(),
      // Each instance's batches follow on from its own last one, as a reader's do (a batch that
      // started past an unapplied event would skip it whichever instance locked first).
      (async () => {
        await two.applyBatch(slice(0, 40));
        await two.applyBatch(slice(40, 60));
      })(),
    ]);
    expect(await counts()).toEqual(Array(STREAMS).fill(PER_STREAM));
    expect(await checkpoint()).toBe(events[events.length - 1].position);

    await one.applyBatch(slice(0, 30)); // a batch both have applied: nothing changes
    expect(await counts()).toEqual(Array(STREAMS).fill(PER_STREAM));
    expect(comparePositions(await checkpoint(), events[events.length - 1].position)).toBe(0);
  });
});

/**
 * The log up to `last`, once a reader may see it: the log is read below the oldest transaction
 * running anywhere on the server, so another suite's open transaction can hide the last appends
 * for a while. Waits for the position, not for a time.
 */
async function readableUpTo(store: SqlEventStore, last: string): Promise<RecordedEvent[]> {
  for (;;) {
    const events = await store.readAll('0:0', 1000);
    if (events.at(-1)?.position === last) return events;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
