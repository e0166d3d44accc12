import { createHome, LedgerHome, RunningLedger, startService, StoreKind } from './tasks-harness';

/** Tests that restart the service: a bound for a busy machine, not a measure. */
const RESTARTS_MS = 180_000;

/**
 * Usage sync survives a crash between its commands (issue 10): the registry change is
 * recorded once, the sync dies after its first SetUsage, and after a restart every number's
 * `usedBy` matches the registry without another registry write.
 */
export function describeUsageSyncCrash(kind: StoreKind): void {
  describe(`usage sync after a crash (${kind})`, () => {
    let home: LedgerHome;
    let ledger: RunningLedger;
    const numbers = ['+14155557001', '+14155557002', '+14155557003'];

    const count = async (sql: string, params: unknown[] = []): Promise<number> =>
      Number((await ledger.runtime.stores.sql.query<{ n: number }>(sql, params)).rows[0].n);
    const usedBy = async (n: string) => (await ledger.call('GET', `/v1/numbers/${encodeURIComponent(n)}`)).body.usedBy;

    beforeAll(async () => {
      home = await createHome(kind);
      ledger = await startService(home);
      expect((await ledger.call('POST', '/v1/accounts', { body: { id: 'site', name: 'Site' } })).status).toBe(201);
      for (const number of numbers) {
        const r = await ledger.call('POST', '/v1/numbers', { body: { number, accountId: 'site', state: 'in_service', carrierModule: 'knm_inventory' } });
        expect(r.status).toBe(201);
      }
    }, RESTARTS_MS);

    afterAll(async () => {
      await ledger?.stop();
      await home?.remove();
    });

    it('converges after the sync is killed between its SetUsage commands', async () => {
      let issued = 0;
      let crashed!: () => void;
      const dead = new Promise<void>((resolve) => (crashed = resolve));
      ledger.runtime.usageSync.beforeCommand = () => {
        if (++issued < 2) return;
        crashed();
        throw new Error('simulated kill -9'); // and so on every retry: this process is dead
      };
      const answer = ledger.call('PUT', '/v1/accounts/site/services/device/desk-1', { body: { name: 'Desk', numbers } });
      await dead;
      expect(await usedBy(numbers[0])).toEqual([{ type: 'device', id: 'desk-1', accountId: 'site' }]);
      expect(await usedBy(numbers[1])).toEqual([]); // the crash came before this one
      await ledger.runtime.usageSync.stop(); // the process dies here
      expect((await answer).status).toBe(503); // the registry change is recorded, its usage did not follow
      const registryWrites = () => count(`SELECT count(*) AS n FROM ledger_events WHERE stream_id LIKE 'service-%'`);
      const recorded = await registryWrites();
      await ledger.stop();
      ledger = await startService(home);

      // The client retries after its 503: nothing new is recorded, and the answer waits for usage to follow.
      const retry = await ledger.call('PUT', '/v1/accounts/site/services/device/desk-1', { body: { name: 'Desk', numbers } });
      expect(retry.status).toBe(200);
      for (const n of numbers) expect(await usedBy(n)).toEqual([{ type: 'device', id: 'desk-1', accountId: 'site' }]);
      expect(await registryWrites()).toBe(recorded);

      const other = await ledger.call('PUT', '/v1/accounts/site/services/user/alice', { body: { numbers: [numbers[2]] } });
      expect(other.status).toBe(200);
      expect(await usedBy(numbers[2])).toEqual([
        { type: 'device', id: 'desk-1', accountId: 'site' },
        { type: 'user', id: 'alice', accountId: 'site' },
      ]);
      const usageEvents = await count(`SELECT count(*) AS n FROM ledger_events WHERE type = 'NumberUsageSet.v1' AND stream_id = $1`, [`number-${numbers[0]}`]);
      expect(usageEvents).toBe(1); // the SetUsage issued before the crash was not repeated
    }, RESTARTS_MS);

    it('refuses, recording nothing, a registration that would give a number more users than it records (SPEC 12: no half-applied change)', async () => {
      const n = '+14155557004';
      expect((await ledger.call('POST', '/v1/numbers', { body: { number: n, accountId: 'site', state: 'in_service', carrierModule: 'knm_inventory' } })).status).toBe(201);
      const usedBy = Array.from({ length: 1000 }, (_, i) => ({ type: 'device' as const, id: `d${i}`, accountId: 'site' }));
      const full = await ledger.runtime.runner.run(n, { type: 'SetUsage', usedBy }, { requester: { accountId: 'system', isSystem: true } });
      await ledger.runtime.projector.settle(full.position!);
      const before = await count('SELECT count(*) AS n FROM ledger_events');
      const r = await ledger.call('PUT', '/v1/accounts/site/services/device/one-too-many', { body: { numbers: [numbers[0], n] } });
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ code: 'validation_failed', detail: `${n} is already used by 1000 services, the most a number records` });
      expect(await count('SELECT count(*) AS n FROM ledger_events')).toBe(before);
      expect((await ledger.call('PUT', '/v1/accounts/site/services/device/one-too-many', { body: { numbers: [numbers[0]] } })).status).toBe(200);
      expect((await ledger.call('DELETE', '/v1/accounts/site/services/device/one-too-many')).status).toBe(204);
    });

    it('answers a registration once usage follows it, as before', async () => {
      const r = await ledger.call('PUT', '/v1/accounts/site/services/fax/f1', { body: { numbers: [numbers[0]] } });
      expect(r.status).toBe(200);
      expect(await usedBy(numbers[0])).toContainEqual({ type: 'fax', id: 'f1', accountId: 'site' });
      const removed = await ledger.call('DELETE', '/v1/accounts/site/services/fax/f1');
      expect(removed.status).toBe(204);
      expect(await usedBy(numbers[0])).toEqual([{ type: 'device', id: 'desk-1', accountId: 'site' }]);
    });
  });
}
