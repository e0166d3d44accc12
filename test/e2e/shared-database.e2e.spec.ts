import { createScratchDatabase, ScratchDatabase, testDatabaseUrl } from '@ledger/sql/test/test-database';
import { LedgerHarness, startLedger } from '../support/ledger-harness';

/**
 * Two service instances on one PostgreSQL database, as an operator scales out:
 * both take commands and both follow the log, yet the read models stay exactly
 * what a single rebuild from zero produces, and only one instance sweeps at a time.
 */
const run = testDatabaseUrl ? describe : describe.skip;

run('two instances sharing one PostgreSQL database', () => {
  let db: ScratchDatabase;
  let a: LedgerHarness;
  let b: LedgerHarness;

  beforeAll(async () => {
    db = await createScratchDatabase('ledger_shared');
    await db.client.close();
    a = await startLedger('postgres', { databaseUrl: db.url, sweepIntervalMs: 0 });
    b = await startLedger('postgres', { databaseUrl: db.url, sweepIntervalMs: 0 });
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await db?.drop();
  });

  it('keeps one set of read models that equals a rebuild from zero', async () => {
    expect((await a.call('POST', '/v1/accounts', { body: { id: 'acme', name: 'Acme' } })).status).toBe(201);
    await b.settled();
    const work = [a, b].map(async (instance, k) => {
      for (let i = 0; i < 60; i++) {
        const n = `+1303555${String(k * 1000 + i).padStart(4, '0')}`;
        expect((await instance.call('POST', '/v1/numbers', { body: { number: n, state: 'available', carrierModule: 'knm_inventory' } })).status).toBe(201);
        // the other instance acquires it: it must see the first one's write
        const other = instance === a ? b : a;
        expect((await other.call('POST', `/v1/numbers/${n}/acquire`, { body: { accountId: 'acme' } })).status).toBe(200);
      }
    });
    await Promise.all(work);
    await a.settled();
    await b.settled();
    const snapshot = async (h: LedgerHarness) => ({
      inventory: (await h.runtime.stores.sql.query('SELECT * FROM inventory ORDER BY number')).rows,
      billing: (await h.runtime.stores.sql.query('SELECT * FROM billing_intervals ORDER BY number, valid_from')).rows,
    });
    const live = await snapshot(a);
    expect(live.inventory.filter((r: any) => r.state === 'in_service' && r.version === 2)).toHaveLength(120);
    const listed = await b.call('GET', '/v1/accounts/acme/numbers?state=in_service');
    expect(listed.body.data).toHaveLength(120);

    await a.runtime.projector.stop();
    await b.runtime.projector.stop();
    await a.runtime.projector.reset();
    await a.runtime.projector.catchUp();
    expect(await snapshot(a)).toEqual(live);
  });

  it('lets only one instance sweep at a time', async () => {
    const [first, second] = await Promise.all([a.runtime.sweeper.takeLease(), b.runtime.sweeper.takeLease()]);
    expect([first, second].filter(Boolean)).toHaveLength(1);
    const holder = first ? a : b;
    const waiting = first ? b : a;
    expect(await holder.runtime.sweeper.takeLease()).toBe(true); // renewing its own lease
    expect(await waiting.runtime.sweeper.sweep()).toBeNull();
  });
});
