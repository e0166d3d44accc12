import { LedgerHarness } from '../support/ledger-harness';
import { buildTenants, foreignIdsIn, TenantWorld } from './tenancy-fixture';

/**
 * SPEC 7 and 12: a tenant's service cannot take another tenant's numbers,
 * and the audit never moves a number away from outside the audited lineage.
 */
export function describeTenancyScenarios(name: string, start: () => Promise<LedgerHarness>): void {
  describe(`tenancy over HTTP (${name})`, () => {
    let ledger: LedgerHarness;
    let w: TenantWorld;
    const enc = encodeURIComponent;
    const as = (key: string) => (method: string, path: string, body?: unknown) => ledger.call(method, path, { key, body });
    const sys = (method: string, path: string, body?: unknown) => ledger.call(method, path, { body });
    const snapshot = async (n: string) => {
      const r = (await sys('GET', `/v1/numbers/${enc(n)}`)).body;
      return { state: r.state, assignedTo: r.assignedTo, reserveHistory: r.reserveHistory, poolAccountId: r.poolAccountId ?? null };
    };
    const foreign = () => [w.numbers.childB.reserved, w.numbers.unrelated.reserved, w.numbers.resellerB.pool, w.numbers.unrelated.pool, w.numbers.childB.held];

    beforeAll(async () => {
      ledger = await start();
      w = await buildTenants(ledger, '+1720555');
      await ledger.settled();
    }, 120_000); // five tenants and their numbers: slow on a busy machine
    afterAll(async () => ledger?.close());

    it('refuses a service listing numbers held, reserved or pooled by another tenant, naming the number, not the holder', async () => {
      const cA = as(w.keys.childA);
      for (const n of foreign()) {
        const r = await cA('PUT', '/v1/accounts/childA/services/device/hijack', { numbers: [w.free.childA, n] });
        expect(r.status).toBe(403);
        expect(r.body.code).toBe('unauthorized');
        expect(JSON.stringify(r.body)).toContain(n);
        expect(foreignIdsIn(JSON.stringify(r.body), 'childA')).toEqual([]);
      }
      const listed = await cA('GET', '/v1/accounts/childA/services');
      expect(listed.body.data).toEqual([]);
      await ledger.settled();
      for (const n of foreign()) expect((await sys('GET', `/v1/numbers/${enc(n)}`)).body.usedBy).toEqual([]);
    });

    it('a tenant\'s service leaves a free number when another tenant takes it, and removing the service then changes nothing there', async () => {
      const n = '+17205558801';
      const events = async () => (await ledger.runtime.stores.sql.query<{ type: string }>(
        `SELECT type FROM ledger_events WHERE stream_id = $1 ORDER BY revision`, [`number-${n}`])).rows.map((r) => r.type);
      expect((await sys('POST', '/v1/numbers', { number: n, state: 'available', carrierModule: 'knm_inventory' })).status).toBe(201);
      expect((await as(w.keys.childA)('PUT', '/v1/accounts/childA/services/device/front', { numbers: [n] })).status).toBe(200);
      expect((await sys('GET', `/v1/numbers/${enc(n)}`)).body.usedBy).toEqual([{ type: 'device', id: 'front', accountId: 'childA' }]);
      expect((await sys('POST', `/v1/numbers/${enc(n)}/acquire`, { accountId: 'childB' })).status).toBe(200);
      expect((await sys('GET', `/v1/numbers/${enc(n)}`)).body).toMatchObject({ assignedTo: 'childB', usedBy: [] });
      const before = await events();
      expect(before.slice(-2)).toEqual(['NumberAcquired.v1', 'NumberUsageSet.v1']);
      expect((await as(w.keys.childA)('DELETE', '/v1/accounts/childA/services/device/front')).status).toBe(204);
      await ledger.settled();
      expect(await events()).toEqual(before);
    });

    it('accepts numbers that are free or inside the lineage', async () => {
      const r = await as(w.keys.childA)('PUT', '/v1/accounts/childA/services/device/own', {
        numbers: [w.free.childA, w.numbers.resellerA.reserved, w.numbers.resellerA.pool, w.numbers.childA.held, '+17205559999'],
      });
      expect(r.status).toBe(200);
    });

    it('an admin-registered service does not let the audit move foreign numbers: conflicts, unchanged', async () => {
      const before = await Promise.all(foreign().map(snapshot));
      expect((await sys('PUT', '/v1/accounts/childA/services/device/admin-made', { numbers: foreign() })).status).toBe(200);
      await ledger.settled();
      const audit = await as(w.keys.resellerA)('POST', '/v1/audits', { accountId: 'childA', level: 'customer' });
      expect(audit.status).toBe(201);
      const conflicts = Object.fromEntries(audit.body.report.conflicts.map((c: any) => [c.number, c.reason]));
      expect(conflicts).toEqual({
        [w.numbers.childB.reserved]: 'reserved_for_another_account',
        [w.numbers.unrelated.reserved]: 'reserved_for_another_account',
        [w.numbers.resellerB.pool]: 'held_by_another_account',
        [w.numbers.unrelated.pool]: 'held_by_another_account',
        [w.numbers.childB.held]: 'held_by_another_account',
      });
      expect(foreignIdsIn(JSON.stringify(audit.body), 'resellerA')).toEqual([]);
      const again = await as(w.keys.resellerA)('GET', `/v1/audits/${audit.body.id}`);
      expect(foreignIdsIn(JSON.stringify(again.body), 'resellerA')).toEqual([]);
      expect((await as(w.keys.resellerB)('GET', `/v1/audits/${audit.body.id}`)).status).toBe(404);
      const moved = [...audit.body.report.added, ...audit.body.report.updated].map((l: any) => l.number);
      expect(moved).not.toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(foreign().map((n) => `\\${n}`).join('|')))]));
      await ledger.settled();
      expect(await Promise.all(foreign().map(snapshot))).toEqual(before);
    });

    it('answers an account outside the caller\'s view and one that does not exist alike: no probing for ids (SPEC 12)', async () => {
      const asChild = as(w.keys.childA);
      for (const path of ['/v1/accounts/{id}', '/v1/accounts/{id}/numbers', '/v1/accounts/{id}/quantities', '/v1/numbers/search?prefix=303&accountId={id}']) {
        const [foreign, none] = await Promise.all(['childB', 'no-such-account'].map((id) => asChild('GET', path.replace('{id}', id))));
        expect([path, foreign.status, foreign.body.code, foreign.body.detail]).toEqual([path, none.status, none.body.code, none.body.detail]);
        expect([path, foreign.status]).toEqual([path, 403]);
      }
      expect((await sys('GET', '/v1/accounts/no-such-account')).status).toBe(404);
    });

    it('a dump of the caller\'s inventory shows no earlier holder or reservation outside its view', async () => {
      const moved = w.free.childB;
      expect((await sys('POST', `/v1/numbers/${enc(moved)}/reserve`, { accountId: 'childB' })).status).toBe(200);
      expect((await sys('POST', `/v1/numbers/${enc(moved)}/acquire`, { accountId: 'childA' })).status).toBe(200);
      expect((await sys('GET', `/v1/numbers/${enc(moved)}`)).body).toMatchObject({ assignedTo: 'childA', prevAssignedTo: 'childB' });
      await ledger.settled();
      const started = await as(w.keys.childA)('POST', '/v1/tasks?action=dump');
      expect(started.status).toBe(202);
      let task = started.body;
      while (!['success', 'partial', 'failure'].includes(task.status)) {
        await new Promise((r) => setTimeout(r, 50));
        task = (await as(w.keys.childA)('GET', `/v1/tasks/${started.body.id}`)).body;
      }
      expect(task.status).toBe('success');
      const output = await as(w.keys.childA)('GET', `/v1/tasks/${started.body.id}/output`);
      expect(String(output.body)).toContain(moved);
      expect(foreignIdsIn(String(output.body), 'childA')).toEqual([]);
      const view = await as(w.keys.childA)('GET', `/v1/numbers/${enc(moved)}`);
      expect(view.body).toMatchObject({ assignedTo: 'childA', prevAssignedTo: null, reserveHistory: [] });
    });
  });
}
