/**
 * `settle` on a projector that follows nothing (a CLI session) reaches a committed position
 * the log does not let it read yet: it reads again until an earlier open transaction ends, and
 * answers ProjectionLagError if that takes longer than it may wait.
 */
import { randomUUID } from 'node:crypto';
import { SqlEventStore } from '@ledger/event-store/sql-event-store';
import { APPEND_TO_NEW_STREAM } from '@ledger/event-store/sql/append-statements';
import { createScratchDatabase, ScratchDatabase, testDatabaseUrl } from '@ledger/sql/test/test-database';
import { SeenStreams } from '@ledger/projections/test/seen-streams';
import { ProjectionLagError, Projector } from './projector';

const event = () => ({ id: randomUUID(), type: 'NumberAdded.v1', data: {}, metadata: {} });

(testDatabaseUrl ? describe : describe.skip)('settle without a follower (PostgreSQL)', () => {
  let db: ScratchDatabase;
  let store: SqlEventStore;

  beforeAll(async () => {
    db = await createScratchDatabase('settle');
    store = new SqlEventStore(db.client);
    await store.init();
  });

  afterAll(async () => {
    await store?.close();
    await db?.drop();
  });

  it('waits past an earlier open transaction for an acknowledged write, and says so when it cannot', async () => {
    const projector = new Projector(store, db.client, [new SeenStreams()]);
    await projector.migrate();
    let commit!: () => void;
    const committed = new Promise<void>((resolve) => (commit = resolve));
    let started!: () => void;
    const slowStarted = new Promise<void>((resolve) => (started = resolve));
    const slowAppend = db.client.transaction(async (tx) => {
      await tx.query(APPEND_TO_NEW_STREAM, ['number-settle-slow', JSON.stringify([event()]), 1]);
      started();
      await committed;
    });
    await slowStarted;
    const acknowledged = await store.append('number-settle-fast', [event()], 'no_stream');
    const target = await store.committedPosition();
    expect(target).toBe(acknowledged.position);
    try {
      // The open transaction hides the acknowledged write from every reader: settling cannot get there.
      await expect(projector.settle(target, 200)).rejects.toBeInstanceOf(ProjectionLagError);
    } finally {
      commit();
      await slowAppend;
    }
    await projector.settle(target, 30_000);
    const seen = await db.client.query<{ stream_id: string }>('SELECT stream_id FROM seen_streams ORDER BY stream_id');
    expect(seen.rows.map((r) => r.stream_id)).toEqual(['number-settle-fast', 'number-settle-slow']);
  });
});
