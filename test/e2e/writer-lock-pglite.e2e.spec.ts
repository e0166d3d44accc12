import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LedgerSession } from '../../apps/ledger-cli/src/ledger-session';
import { CHILD_TEST_TIMEOUT_MS, killChildren, runCliChild, startServiceChild } from '../support/child-ledger';
import { CRASH_PAUSES, killWithKeyedRequestsInFlight, retriesCompleteOnce } from './idempotency-crash-scenarios';

/** SPEC 12 "one writer per embedded store", with the service and the CLI as separate processes on one data directory. */
describe('one writer per embedded data directory (PGlite, real processes)', () => {
  const systemKey = 'writer-lock-system-key';
  let dataDir: string;
  const env = () => ({ LEDGER_DATA_DIR: dataDir, LEDGER_SYSTEM_KEY: systemKey });
  const settingsEnv = () => ({ ...env(), LEDGER_SWEEP_INTERVAL_MS: '0' });

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'ledger-writer-lock-'));
  });
  afterEach(async () => {
    await killChildren();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses a second CLI or service with exit 2 naming the holder, lets list run through the service, and loses no acknowledged write', async () => {
    const service = await startServiceChild(env(), systemKey);
    const acknowledged: string[] = [];
    try {
      expect((await service.call('POST', '/v1/accounts', { body: { id: 'acme', name: 'Acme' } })).status).toBe(201);
      expect((await service.call('POST', '/v1/numbers', { body: { number: '4155550100', state: 'available', carrierModule: 'knm_inventory' } })).status).toBe(201);
      acknowledged.push('+14155550100');

      for (const args of [['config', 'set', 'shouldAge', 'false'], ['list', '--as', 'acme']]) {
        const refused = await runCliChild(args, env());
        expect({ args, code: refused.code }).toEqual({ args, code: 2 });
        expect(refused.stderr).toContain(`in use by process ${service.pid} (`);
        expect(refused.stderr).toContain(`stop that process first, or use the running service's HTTP API at ${service.url}`);
      }
      await expect(startServiceChild(env(), systemKey)).rejects.toThrow(new RegExp(`exited \\(2\\)[\\s\\S]*in use by process ${service.pid}`));

      const file = join(dataDir, 'list.csv');
      const listed = await runCliChild(['list', '-o', file], env());
      expect(listed.code).toBe(0);
      expect(JSON.parse(listed.stdout)).toMatchObject({ action: 'list', status: 'success', total: 1, output: file });
      expect(readFileSync(file, 'utf8')).toContain('+14155550100,available,knm_inventory');

      const config = await runCliChild(['config', 'get', 'billInventoryNumbers'], env());
      expect([config.code, config.stdout.trim()]).toEqual([0, 'false']);

      // The service was not disturbed: it still answers and writes.
      expect((await service.call('POST', '/v1/numbers/+14155550100/acquire', { body: { accountId: 'acme' } })).status).toBe(200);
      expect((await service.call('POST', '/v1/numbers', { body: { number: '4155550101', state: 'available', carrierModule: 'knm_inventory' } })).status).toBe(201);
      acknowledged.push('+14155550101');
    } finally {
      expect(await service.stop()).toBe(0);
    }
    const session = await LedgerSession.open(settingsEnv(), () => undefined);
    try {
      const streams = await Promise.all(acknowledged.map((n) => session.stores.events.readStream(`number-${n}`)));
      expect(streams.map((s) => s.map((e) => e.type))).toEqual([['NumberAdded.v1', 'NumberAcquired.v1'], ['NumberAdded.v1']]);
      expect(await session.stores.events.readStream('account-acme')).toHaveLength(1);
    } finally {
      await session.close();
    }
    const verified = await runCliChild(['verify'], env());
    expect({ code: verified.code, stderr: verified.stderr }).toMatchObject({ code: 0 });
  }, CHILD_TEST_TIMEOUT_MS);

  it('is not blocked by the lock of a killed service, whose keyed requests in flight complete once when retried', async () => {
    const first = await startServiceChild({ ...env(), ...CRASH_PAUSES }, systemKey);
    const lockFile = join(dataDir, 'ledger.lock');
    expect(JSON.parse(readFileSync(lockFile, 'utf8'))).toMatchObject({ pid: first.pid, url: first.url });
    await killWithKeyedRequestsInFlight(first);
    // The dead holder's record is still there; the kernel released its lock.
    expect(existsSync(lockFile) && JSON.parse(readFileSync(lockFile, 'utf8')).pid).toBe(first.pid);

    const second = await startServiceChild(env(), systemKey);
    try {
      await retriesCompleteOnce(second);
    } finally {
      expect(await second.stop()).toBe(0);
    }
    const verified = await runCliChild(['verify'], env());
    expect(verified.code).toBe(0);
  }, CHILD_TEST_TIMEOUT_MS);
});
