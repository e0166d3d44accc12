import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createScratchDatabase, ScratchDatabase, testDatabaseUrl } from '@ledger/sql/test/test-database';
import { CHILD_TEST_TIMEOUT_MS, killChildren, ServiceChild, startServiceChild } from '../support/child-ledger';

/**
 * The service on PostgreSQL applies the log in a worker thread (core/projector-thread.ts):
 * here as operators run it, in its own process. What the thread applies must reach the
 * service's thread: minPosition reads, the accounts cache a command checks, statuses.
 */
(testDatabaseUrl ? describe : describe.skip)('the projector thread (PostgreSQL, a real service process)', () => {
  const systemKey = 'thread-system-key';
  let db: ScratchDatabase;
  let dataDir: string;
  let service: ServiceChild;

  beforeAll(async () => {
    db = await createScratchDatabase('ledger_thread');
    dataDir = mkdtempSync(join(tmpdir(), 'ledger-thread-'));
    service = await startServiceChild({ DATABASE_URL: db.url, LEDGER_DATA_DIR: dataDir, LEDGER_SYSTEM_KEY: systemKey }, systemKey);
  }, CHILD_TEST_TIMEOUT_MS);
  afterAll(async () => {
    if (service) expect(await service.stop()).toBe(0);
    await killChildren();
    await db?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts with the service, before it listens', () => {
    expect(service.lines().some((l) => l.msg === 'projector thread started')).toBe(true);
  });

  it('a number acquired into a just-created account is visible to a minPosition read of that answer', async () => {
    expect((await service.call('POST', '/v1/accounts', { body: { id: 'threaded', name: 'Threaded' } })).status).toBe(201);
    const added = await service.call('POST', '/v1/numbers', { body: { number: '+14155550301', state: 'available', carrierModule: 'knm_inventory' } });
    expect(added.status).toBe(201);
    // The account's creation answers once the thread's batch reached this thread's accounts cache.
    const acquired = await service.call('POST', '/v1/numbers/+14155550301/acquire', { body: { accountId: 'threaded' } });
    expect(acquired.status).toBe(200);
    const position = acquired.headers.get('x-ledger-position');
    const listed = await service.call('GET', `/v1/numbers?prefix=%2B14155550301&minPosition=${position}`);
    expect(listed.status).toBe(200);
    expect(listed.body.data).toEqual([expect.objectContaining({ number: '+14155550301', state: 'in_service', assignedTo: 'threaded' })]);
  });

  it('is ready once the thread applied what was written', async () => {
    const answer = await service.call('POST', '/v1/numbers', { body: { number: '+14155550302', state: 'available', carrierModule: 'knm_inventory' } });
    const listed = await service.call('GET', `/v1/numbers?prefix=%2B14155550302&minPosition=${String(answer.headers.get('x-ledger-position'))}`);
    expect(listed.body.data).toHaveLength(1);
    const ready = await service.call('GET', '/ready');
    expect(ready.status).toBe(200);
  });
});

(testDatabaseUrl ? describe : describe.skip)('LEDGER_PROJECTOR_THREAD=0 (PostgreSQL, a real service process)', () => {
  const systemKey = 'no-thread-system-key';
  let db: ScratchDatabase;
  let dataDir: string;
  let service: ServiceChild;

  beforeAll(async () => {
    db = await createScratchDatabase('ledger_no_thread');
    dataDir = mkdtempSync(join(tmpdir(), 'ledger-no-thread-'));
    service = await startServiceChild({ DATABASE_URL: db.url, LEDGER_DATA_DIR: dataDir, LEDGER_SYSTEM_KEY: systemKey, LEDGER_PROJECTOR_THREAD: '0' }, systemKey);
  }, CHILD_TEST_TIMEOUT_MS);
  afterAll(async () => {
    if (service) expect(await service.stop()).toBe(0);
    await killChildren();
    await db?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('follows the log in the service\'s own event loop: no thread, reads still see the writes', async () => {
    expect(service.lines().some((l) => l.msg === 'projector thread started')).toBe(false);
    const added = await service.call('POST', '/v1/numbers', { body: { number: '+14155550311', state: 'available', carrierModule: 'knm_inventory' } });
    expect(added.status).toBe(201);
    const listed = await service.call('GET', `/v1/numbers?prefix=%2B14155550311&minPosition=${String(added.headers.get('x-ledger-position'))}`);
    expect(listed.body.data).toEqual([expect.objectContaining({ number: '+14155550311', state: 'available' })]);
  });
});
