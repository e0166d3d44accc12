import { testLog } from '@ledger/projections/test/test-log';
import { Projection } from './projection';
import { Projector } from './projector';

describe('Projector.settle with a caller that stops waiting', () => {
  const { log, append } = testLog('pglite');

  it('resolves false once the caller gives up, long before its bound, while the position is not reached', async () => {
    let release = () => undefined as void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const held: Projection = { name: 'held', tables: [], ddl: () => 'SELECT 1', apply: () => gate }; // never applies until released
    const projector = new Projector(log.store, log.sql, [held]);
    await projector.migrate();
    projector.start();
    const { position } = await append('number-+15550000001');
    let asked = 0;
    // The bound lies past Jest's timeout: only the caller's giving up can end this wait in time.
    await expect(projector.settle(position, 600_000, undefined, () => ++asked >= 2)).resolves.toBe(false);
    expect(asked).toBe(2);
    release();
    await expect(projector.settle(position, 600_000)).resolves.toBe(true);
    await projector.stop();
  });
});
