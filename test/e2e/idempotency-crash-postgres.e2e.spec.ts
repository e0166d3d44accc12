import { createScratchDatabase, ScratchDatabase, testDatabaseUrl } from '@ledger/sql/test/test-database';
import { CHILD_TEST_TIMEOUT_MS, killChildren, startServiceChild } from '../support/child-ledger';
import { CRASH_PAUSES, killWithKeyedRequestsInFlight, retriesCompleteOnce } from './idempotency-crash-scenarios';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Idempotency claims die with the process that made them (PostgreSQL, where other instances may share the database). */
(testDatabaseUrl ? describe : describe.skip)('keyed requests in flight at a kill -9 (PostgreSQL, real processes)', () => {
  const systemKey = 'crash-system-key';
  let db: ScratchDatabase;
  let dataDir: string;

  beforeAll(async () => {
    db = await createScratchDatabase('ledger_crash');
    dataDir = mkdtempSync(join(tmpdir(), 'ledger-crash-'));
  });
  afterAll(async () => {
    await killChildren();
    await db?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('can be retried to completion after the restart: applied once or answered again, never duplicated, never locked out', async () => {
    // A short lease: the dead owner's claims expire soon after the kill (a live owner renews its own).
    const env = { DATABASE_URL: db.url, LEDGER_DATA_DIR: dataDir, LEDGER_SYSTEM_KEY: systemKey, LEDGER_IDEMPOTENCY_LEASE_MS: '500' };
    await killWithKeyedRequestsInFlight(await startServiceChild({ ...env, ...CRASH_PAUSES }, systemKey));
    const claimedByTheDead = await db.client.query(`SELECT key FROM idempotency_keys WHERE status = 0 ORDER BY key`);
    expect(claimedByTheDead.rows.map((r) => r.key)).toEqual(['crash-after-append', 'crash-before-append']);

    const second = await startServiceChild(env, systemKey);
    try {
      await retriesCompleteOnce(second);
    } finally {
      expect(await second.stop()).toBe(0);
    }
    expect((await db.client.query(`SELECT key FROM idempotency_keys WHERE status = 0`)).rows).toEqual([]);
  }, CHILD_TEST_TIMEOUT_MS);
});
