import { SqlEventStore } from '@ledger/event-store/sql-event-store';
import { SqlClient } from '@ledger/sql/sql-client';
import { cacheWatcher, Projection } from './projection';
import { AppliedBatch, Follower, Projector } from './projector';
import { testLog } from '@ledger/projections/test/test-log';
import { SeenStreams } from '@ledger/projections/test/seen-streams';

/** What the projector thread does, in this thread: another projector on the same database follows and relays each batch. */
class RelayingFollower implements Follower {
  readonly other: Projector;
  private heard: (applied: AppliedBatch) => void = () => undefined;
  failed: (err: Error) => void = () => undefined;

  constructor(store: SqlEventStore, sql: SqlClient) {
    const relay = cacheWatcher('relay', (events) => this.heard({ events, statuses: this.other.statuses, position: this.other.checkpoint }));
    this.other = new Projector(store, sql, [new SeenStreams(), relay]);
  }

  start(heard: (applied: AppliedBatch) => void, failed: (err: Error) => void): void {
    this.heard = heard;
    this.failed = failed;
    void this.other.migrate().then(() => this.other.start());
  }

  stop(): Promise<void> {
    return this.other.stop();
  }
}

describe('Projector with a follower (the projector thread)', () => {
  const { log, append } = testLog();

  it('waits, reports and tells its caches what the follower applied, without applying anything itself; its failures until the next batch', async () => {
    const follower = new RelayingFollower(log.store, log.sql);
    const cached: string[] = [];
    const projector = new Projector(log.store, log.sql, [new SeenStreams(), cacheWatcher('cache', (events) => cached.push(...events.map((e) => e.streamId)))], { follower });
    await projector.migrate();
    const applyBatch = jest.spyOn(projector, 'applyBatch');
    projector.start();
    expect(projector.isFollowing).toBe(true);

    const { position } = await append('number-+15550000001');
    await projector.settle(position, 10_000, ['seen']);

    expect((await log.sql.query('SELECT stream_id FROM seen_streams')).rows).toEqual([{ stream_id: 'number-+15550000001' }]);
    expect(projector.checkpoint).toBe(position);
    expect(projector.statuses).toEqual([{ name: 'seen', position, failure: null }]);
    expect(cached).toEqual(['number-+15550000001']);
    expect(applyBatch).not.toHaveBeenCalled();

    follower.failed(new Error('connection lost'));
    expect(projector.failure).toEqual(new Error('connection lost'));
    await projector.settle((await append('number-+15550000002')).position, 10_000);
    expect(projector.failure).toBeNull();

    await projector.stop();
    expect(follower.other.isFollowing).toBe(false);
    expect(projector.isFollowing).toBe(false);
  });

  it('lets a wait on some projections end when they reach the position, ahead of the others', async () => {
    let heard: (applied: AppliedBatch) => void = () => undefined;
    const follower: Follower = { start: (h) => void (heard = h), stop: () => Promise.resolve() };
    const other: Projection = { name: 'other', tables: [], ddl: () => 'SELECT 1', apply: () => Promise.resolve() };
    const projector = new Projector(log.store, log.sql, [new SeenStreams(), other], { follower });
    projector.start();
    const target = '900:7';
    const seen = projector.waitFor(target, 10_000, ['seen']);
    heard({ events: [], statuses: [{ name: 'seen', position: target, failure: null }, { name: 'other', position: '800:1', failure: null }], position: '800:1' });

    await expect(seen).resolves.toBe(true);
    await expect(projector.waitFor(target, 0)).resolves.toBe(false);
    await expect(projector.waitFor(target, 0, ['seen', 'other'])).resolves.toBe(false);
    await expect(projector.waitFor(target, 0, ['seen', 'not-a-projection'])).resolves.toBe(false);
    await projector.stop();
  });
});
