import { testDatabaseUrl } from '@ledger/sql/test/test-database';
import { LedgerHarness, startLedger } from '../support/ledger-harness';

/**
 * EventStoreDB goes away while the service runs: commands fail fast with 503
 * problem+json and write nothing, the read models keep answering, and once the
 * store is back commands work again and the projections catch up.
 */
const run = testDatabaseUrl ? describe : describe.skip;

run('EventStoreDB outage', () => {
  let ledger: LedgerHarness;
  beforeAll(async () => {
    ledger = await startLedger('esdb');
  });
  afterAll(async () => ledger?.close());

  it('answers 503 while it is down and recovers when it returns', async () => {
    const call = (method: string, path: string, body?: unknown) => ledger.call(method, path, { body });
    const n = '+17205550999';
    expect((await call('POST', '/v1/accounts', { id: 'acme', name: 'Acme' })).status).toBe(201);
    expect((await call('POST', '/v1/numbers', { number: n, state: 'available', carrierModule: 'knm_inventory' })).status).toBe(201);
    await ledger.settled();

    ledger.esdb!.goDown();
    const started = Date.now();
    const refused = await call('POST', `/v1/numbers/${n}/acquire`, { accountId: 'acme' });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.body.code).toBe('unavailable');
    expect(Date.now() - started).toBeLessThan(15_000);
    const listed = await call('GET', '/v1/numbers?state=available');
    expect(listed.status).toBe(200);
    expect(listed.body.data.map((x: any) => x.number)).toContain(n);

    await ledger.esdb!.comeBack();
    let acquired = refused;
    while (acquired.status === 503) {
      await new Promise((r) => setTimeout(r, 200));
      acquired = await call('POST', `/v1/numbers/${n}/acquire`, { accountId: 'acme' });
    }
    expect(acquired.status).toBe(200);
    const history = await call('GET', `/v1/numbers/${n}/history`);
    expect(history.body.data.map((e: any) => e.type)).toEqual(['NumberAdded.v1', 'NumberAcquired.v1']);
    const pos = acquired.headers.get('x-ledger-position');
    const after = await call('GET', `/v1/numbers?state=in_service&minPosition=${pos}`);
    expect(after.status).toBe(200);
    expect(after.body.data.map((x: any) => x.number)).toContain(n);
  }, 60_000);
});
