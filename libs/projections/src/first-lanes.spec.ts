import { LogKind, testLog } from '@ledger/projections/test/test-log';
import { testDatabaseUrl } from '@ledger/sql/test/test-database';
import { SeenStreams } from '@ledger/projections/test/seen-streams';
import { Projection } from './projection';
import { Projector, ProjectionStatus } from './projector';

/** A projection that applies nothing until released: the rest of a batch still being written. */
function heldProjection(): { projection: Projection; release: () => void } {
  let release = () => undefined as void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  return { projection: { name: 'held', tables: [], ddl: () => 'SELECT 1', apply: () => gate }, release: () => release() };
}

const kinds: LogKind[] = testDatabaseUrl ? ['pglite', 'postgres'] : ['pglite'];

// On PostgreSQL the lanes' transactions run side by side on two connections; PGlite takes them in turn, first lanes first.
describe.each(kinds)('Projector following with first lanes (ProjectorOptions.firstLanes, %s)', (kind) => {
  const { log, append } = testLog(kind);

  it('commits a first lane on its own: waits on it end while the other lanes still write the batch', async () => {
    const held = heldProjection();
    const early: ProjectionStatus[][] = [];
    const projector = new Projector(log.store, log.sql, [held.projection, new SeenStreams()], {
      firstLanes: ['seen'], onLanesApplied: (statuses) => early.push(statuses),
    });
    await projector.migrate();
    projector.start();
    const { position } = await append('number-+15550000001');

    await expect(projector.waitFor(position, 10_000, ['seen'])).resolves.toBe(true);
    await expect(projector.waitFor(position, 0, ['held'])).resolves.toBe(false);
    await expect(projector.waitFor(position, 0)).resolves.toBe(false);
    expect(early[0].find((s) => s.name === 'seen')?.position).toBe(position);
    expect(early[0].find((s) => s.name === 'held')?.position).not.toBe(position);

    held.release();
    await expect(projector.waitFor(position, 10_000)).resolves.toBe(true);
    expect(projector.checkpoint).toBe(position);
    // (Read only now: PGlite has one session, and the held lane's transaction occupies it.)
    expect((await log.sql.query('SELECT stream_id FROM seen_streams')).rows).toEqual([{ stream_id: 'number-+15550000001' }]);
    await projector.stop();
  });

  it('refuses a first lane that names no projection (the split would silently be off)', () => {
    expect(() => new Projector(log.store, log.sql, [new SeenStreams()], { firstLanes: ['inventroy'] })).toThrow(/firstLanes names no projection: inventroy/);
  });
});
