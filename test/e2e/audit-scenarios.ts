import { LedgerHarness } from '../support/ledger-harness';

/**
 * The service registry, number usage and the inventory audit (SPEC 7) over
 * HTTP. Each audit test builds its own customer with two sites, so the tests
 * do not see each other's numbers.
 */
export function describeAuditScenarios(name: string, start: () => Promise<LedgerHarness>): void {
  describe(`usage and audit over HTTP (${name})`, () => {
    let ledger: LedgerHarness;
    const keys: Record<string, string> = {};
    let seq = 0;
    let tree = 0;
    const fresh = () => `+1646${String(2000000 + ++seq * 13).padStart(7, '0')}`;
    const enc = encodeURIComponent;

    const call = (method: string, path: string, body?: unknown, key?: string) =>
      ledger.call(method, path, { key: key ?? ledger.systemKey, body });
    const createAccount = async (a: Record<string, unknown>) => expect((await call('POST', '/v1/accounts', a)).status).toBe(201);
    const addNumber = async (number: string, body: Record<string, unknown>) => {
      const r = await call('POST', '/v1/numbers', { number, ...body });
      expect(r.status).toBe(201);
      return r.body;
    };
    const useBy = async (accountId: string, type: string, id: string, numbers: string[]) => {
      const r = await call('PUT', `/v1/accounts/${accountId}/services/${type}/${id}`, { numbers });
      expect(r.status).toBe(200);
      return r.body;
    };
    const getNumber = async (n: string) => (await call('GET', `/v1/numbers/${enc(n)}`)).body;
    const history = async (n: string) => (await call('GET', `/v1/numbers/${enc(n)}/history`)).body.data as any[];
    const runAudit = async (body: Record<string, unknown>) => {
      const r = await call('POST', '/v1/audits', body, keys.op);
      expect(r.status).toBe(201);
      expect(r.body.status).toBe('completed');
      return r.body;
    };
    const numbersOf = (lines: any[]) => lines.map((l) => l.number).sort();
    /** Events on the number streams that an audit caused. */
    const eventsOfAudit = async (numbers: string[], auditId: string) =>
      (await Promise.all(numbers.map(history))).flat().filter((e) => e.metadata.auditId === auditId);

    /** A customer under the reseller `op`, with sites `<c>-a` and `<c>-b`. */
    const customer = async () => {
      const c = `cust${++tree}`;
      await createAccount({ id: c, name: c, parentId: 'op' });
      await createAccount({ id: `${c}-a`, name: `${c} site a`, parentId: c });
      await createAccount({ id: `${c}-b`, name: `${c} site b`, parentId: c });
      return { c, a: `${c}-a`, b: `${c}-b` };
    };

    beforeAll(async () => {
      ledger = await start();
      await createAccount({ id: 'op', name: 'Operator reseller', reseller: true });
      await createAccount({ id: 'outsider', name: 'Another customer', parentId: 'op' });
      await createAccount({ id: 'plain', name: 'Customer with a key', parentId: 'op' });
      for (const id of ['op', 'outsider', 'plain']) keys[id] = (await call('POST', `/v1/accounts/${id}/keys`, {})).body.key;
    });

    afterAll(async () => ledger?.close());

    describe('service registry and usage', () => {
      it('registers a service, shows it, and sets usedBy on the numbers it uses', async () => {
        const n = fresh();
        await addNumber(n, { accountId: 'outsider' });
        const r = await call('PUT', `/v1/accounts/outsider/services/device/desk-1`, { name: 'Desk phone', numbers: [n.slice(2)] }, keys.outsider);
        expect(r.status).toBe(200);
        expect(r.body).toMatchObject({ accountId: 'outsider', type: 'device', id: 'desk-1', name: 'Desk phone', numbers: [n] });
        expect((await getNumber(n)).usedBy).toEqual([{ type: 'device', id: 'desk-1', accountId: 'outsider' }]);
        const listed = await call('GET', `/v1/accounts/outsider/services?minPosition=${r.headers.get('x-ledger-position')}`, undefined, keys.outsider);
        expect(listed.body.data).toEqual([expect.objectContaining({ type: 'device', id: 'desk-1', numbers: [n] })]);
        const byUsage = await call('GET', `/v1/numbers?usedBy=device&prefix=${enc(n)}&minPosition=${r.headers.get('x-ledger-position')}`);
        expect(byUsage.body.data.map((x: any) => x.number)).toEqual([n]);
        expect((await call('GET', `/v1/numbers?usedBy=fax&prefix=${enc(n)}`)).body.data).toEqual([]);
      });

      it('replaces the numbers of a service and removes it, keeping usage in line', async () => {
        const [n1, n2] = [fresh(), fresh()];
        await addNumber(n1, { accountId: 'outsider' });
        await addNumber(n2, { accountId: 'outsider' });
        await useBy('outsider', 'callflow', 'main', [n1]);
        await useBy('outsider', 'user', 'alice', [n1]);
        expect((await getNumber(n1)).usedBy).toHaveLength(2);
        await useBy('outsider', 'callflow', 'main', [n2]);
        expect((await getNumber(n1)).usedBy).toEqual([{ type: 'user', id: 'alice', accountId: 'outsider' }]);
        expect((await getNumber(n2)).usedBy).toEqual([{ type: 'callflow', id: 'main', accountId: 'outsider' }]);
        const versionBefore = (await getNumber(n2)).version;
        await useBy('outsider', 'callflow', 'main', [n2]); // unchanged: no event
        expect((await getNumber(n2)).version).toBe(versionBefore);
        expect((await call('DELETE', '/v1/accounts/outsider/services/callflow/main')).status).toBe(204);
        expect((await getNumber(n2)).usedBy).toEqual([]);
        expect((await call('DELETE', '/v1/accounts/outsider/services/callflow/main')).status).toBe(404);
      });

      it('refuses bad input and foreign accounts, changing nothing', async () => {
        const n = fresh();
        const bad = [
          await call('PUT', '/v1/accounts/outsider/services/toaster/t1', { numbers: [n] }),
          await call('PUT', '/v1/accounts/outsider/services/device/d1', { numbers: ['not a number'] }),
          await call('PUT', '/v1/accounts/outsider/services/device/d1', { numbers: n }),
          await call('PUT', '/v1/accounts/outsider/services/device/d1', {}),
        ];
        for (const r of bad) {
          expect(r.status).toBe(400);
          expect(r.headers.get('content-type')).toContain('application/problem+json');
        }
        expect((await call('PUT', '/v1/accounts/outsider/services/device/d1', { numbers: [n] }, keys.plain)).status).toBe(403);
        expect((await call('PUT', '/v1/accounts/nobody/services/device/d1', { numbers: [n] })).status).toBe(404);
        const listed = await call('GET', '/v1/accounts/outsider/services?type=device');
        expect(listed.body.data.map((s: any) => s.id)).toEqual(['desk-1']);
      });
    });

    describe('customer-level audit', () => {
      it('adds a number used at a site and missing everywhere, for the customer, with the audit id on its events', async () => {
        const { c, a } = await customer();
        const n = fresh();
        await useBy(a, 'device', 'd1', [n]);
        const audit = await runAudit({ accountId: c, level: 'customer' });
        expect(numbersOf(audit.report.added)).toEqual([n]);
        expect(audit.report.added[0]).toMatchObject({ accountId: c, state: null });
        expect(await getNumber(n)).toMatchObject({ state: 'in_service', assignedTo: c, usedBy: [{ type: 'device', id: 'd1', accountId: a }] });
        const events = await history(n);
        expect(events.length).toBeGreaterThan(0);
        expect(events.every((e) => e.metadata.auditId === audit.id)).toBe(true);
      });

      it('reports a number in service for another account as a conflict and leaves it alone', async () => {
        const { c, b } = await customer();
        const n = fresh();
        await addNumber(n, { accountId: 'outsider' });
        await useBy(b, 'hunt_group', 'sales', [n]);
        const before = await getNumber(n);
        const audit = await runAudit({ accountId: c, level: 'customer' });
        expect(audit.report.conflicts).toEqual([expect.objectContaining({ number: n, accountId: 'outsider', state: 'in_service' })]);
        expect(audit.report.added).toEqual([]);
        expect(audit.report.updated).toEqual([]);
        const after = await getNumber(n);
        expect(after).toMatchObject({ state: 'in_service', assignedTo: 'outsider', version: before.version });
      });

      it('reports a conflict for a number in service for another account that uses it too', async () => {
        const { c, b } = await customer();
        const n = fresh();
        await addNumber(n, { accountId: 'outsider' });
        await useBy('outsider', 'device', 'desk', [n]);
        await useBy(b, 'user', 'hijack', [n]);
        const before = await getNumber(n);
        const audit = await runAudit({ accountId: c, level: 'customer' });
        expect(audit.report.conflicts).toEqual([expect.objectContaining({ number: n, accountId: 'outsider', state: 'in_service' })]);
        expect(audit.report.updated).toEqual([]);
        expect(await getNumber(n)).toMatchObject({ state: 'in_service', assignedTo: 'outsider', version: before.version });
      });

      it('keeps an unused in-service number, clears its usage and reports it unused', async () => {
        const { c, a } = await customer();
        const [stale, idle] = [fresh(), fresh()];
        await addNumber(stale, { accountId: c });
        await addNumber(idle, { accountId: a });
        // Drift: usage recorded for a service the registry does not know.
        await ledger.runtime.runner.run(stale, { type: 'SetUsage', usedBy: [{ type: 'fax', id: 'gone', accountId: c }] }, {
          requester: { accountId: 'system', isSystem: true },
        });
        const audit = await runAudit({ accountId: c, level: 'customer' });
        expect(numbersOf(audit.report.unused)).toEqual([stale, idle].sort());
        expect(await getNumber(stale)).toMatchObject({ state: 'in_service', assignedTo: c, usedBy: [] });
        expect(await getNumber(idle)).toMatchObject({ state: 'in_service', assignedTo: a, usedBy: [] });
        expect(await eventsOfAudit([idle], audit.id)).toEqual([]);
        expect((await eventsOfAudit([stale], audit.id)).map((e) => e.type)).toEqual(['NumberUsageSet.v1']);
      });

      it('moves reserved and aging numbers found in use into service for the using account', async () => {
        const { c, a } = await customer();
        const [reserved, aging, available] = [fresh(), fresh(), fresh()];
        await addNumber(reserved, { state: 'reserved', accountId: a });
        await addNumber(aging, { state: 'aging', carrierModule: 'knm_inventory' });
        await addNumber(available, { state: 'available', carrierModule: 'knm_inventory' });
        await useBy(a, 'user', 'bob', [reserved]);
        await useBy(c, 'callflow', 'main', [aging, available]);
        const audit = await runAudit({ accountId: c, level: 'customer' });
        expect(numbersOf(audit.report.updated)).toEqual([reserved, aging, available].sort());
        expect(audit.report.updated.find((l: any) => l.number === aging)).toMatchObject({ state: 'aging', accountId: c });
        expect(await getNumber(reserved)).toMatchObject({ state: 'in_service', assignedTo: a, usedBy: [{ type: 'user', id: 'bob', accountId: a }] });
        expect(await getNumber(aging)).toMatchObject({ state: 'in_service', assignedTo: c, carrierModule: 'knm_inventory' });
        expect(await getNumber(available)).toMatchObject({ state: 'in_service', assignedTo: c });
      });

      it('changes nothing when run a second time', async () => {
        const { c, a, b } = await customer();
        const [missing, conflicting, idle, reserved] = [fresh(), fresh(), fresh(), fresh()];
        await addNumber(conflicting, { accountId: 'outsider' });
        await addNumber(idle, { accountId: c });
        await addNumber(reserved, { state: 'reserved', accountId: b });
        await useBy(a, 'device', 'd1', [missing, conflicting]);
        await useBy(b, 'voicemail', 'vm', [reserved]);
        const first = await runAudit({ accountId: c, level: 'customer' });
        expect(first.counts).toEqual({ added: 1, updated: 1, conflicts: 1, unused: 1 });
        const all = [missing, conflicting, idle, reserved];
        const versions = await Promise.all(all.map(async (n) => (await getNumber(n)).version));
        const second = await runAudit({ accountId: c, level: 'customer' });
        expect(second.counts).toEqual({ added: 0, updated: 0, conflicts: 1, unused: 1 });
        expect(await eventsOfAudit(all, second.id)).toEqual([]);
        expect(await Promise.all(all.map(async (n) => (await getNumber(n)).version))).toEqual(versions);
        const again = await call('GET', `/v1/audits/${second.id}`, undefined, keys.op);
        expect(again.body).toMatchObject({ id: second.id, status: 'completed', counts: second.counts });
      });
    });

    describe('site-level audit', () => {
      it('adds a missing number for the using site and leaves customer services out', async () => {
        const { c, a } = await customer();
        const [atSite, atCustomer] = [fresh(), fresh()];
        await useBy(a, 'device', 'd1', [atSite]);
        await useBy(c, 'callflow', 'main', [atCustomer]);
        const audit = await runAudit({ accountId: c, level: 'site', siteIds: [a] });
        expect(audit.siteIds).toEqual([a]);
        expect(numbersOf(audit.report.added)).toEqual([atSite]);
        expect(await getNumber(atSite)).toMatchObject({ state: 'in_service', assignedTo: a });
        expect((await call('GET', `/v1/numbers/${enc(atCustomer)}`)).status).toBe(404);
      });

      it('reports a number held by another site as a conflict, and the unused and moved ones', async () => {
        const { c, a, b } = await customer();
        const [heldByB, idleA, reservedForC] = [fresh(), fresh(), fresh()];
        await addNumber(heldByB, { accountId: b });
        await addNumber(idleA, { accountId: a });
        await addNumber(reservedForC, { state: 'reserved', accountId: c });
        await useBy(a, 'device', 'd1', [heldByB, reservedForC]);
        const heldBefore = await getNumber(heldByB);
        const audit = await runAudit({ accountId: c, level: 'site', siteIds: [a, b] });
        expect(audit.report.conflicts).toEqual([expect.objectContaining({ number: heldByB, accountId: b })]);
        expect(numbersOf(audit.report.unused)).toEqual([idleA]);
        expect(audit.report.updated).toEqual([expect.objectContaining({ number: reservedForC, state: 'reserved', accountId: a })]);
        expect(await getNumber(reservedForC)).toMatchObject({ state: 'in_service', assignedTo: a });
        expect(await getNumber(heldByB)).toEqual(heldBefore);
      });

      it('audits every site when none is named, and a second run changes nothing', async () => {
        const { c, a, b } = await customer();
        const [n1, n2] = [fresh(), fresh()];
        await useBy(a, 'fax', 'f1', [n1]);
        await useBy(b, 'conference', 'room', [n2]);
        const first = await runAudit({ accountId: c, level: 'site' });
        expect(first.siteIds).toEqual([a, b]);
        expect(numbersOf(first.report.added)).toEqual([n1, n2].sort());
        const second = await runAudit({ accountId: c, level: 'site' });
        expect(second.counts).toEqual({ added: 0, updated: 0, conflicts: 0, unused: 0 });
        expect(await eventsOfAudit([n1, n2], second.id)).toEqual([]);
      });
    });

    describe('audit requests', () => {
      it('refuses bad requests with 4xx problems and starts nothing', async () => {
        const { c } = await customer();
        const cases: Array<[Record<string, unknown>, number]> = [
          [{ accountId: c, level: 'galaxy' }, 400],
          [{ level: 'customer' }, 400],
          [{ accountId: c, level: 'site', siteIds: ['outsider'] }, 400],
          [{ accountId: c, level: 'customer', siteIds: [`${c}-a`] }, 400],
          // An operator key (no admin): an account outside its subtree is 403 whether it exists or not (SPEC 12).
          [{ accountId: 'nobody', level: 'customer' }, 403],
        ];
        for (const [body, status] of cases) {
          const r = await call('POST', '/v1/audits', body, keys.op);
          expect([r.status, r.body.code]).toEqual([status, expect.any(String)]);
        }
        expect((await call('POST', '/v1/audits', { accountId: 'plain', level: 'customer' }, keys.plain)).status).toBe(403);
        expect((await call('POST', '/v1/audits', { accountId: c, level: 'customer' }, keys.outsider)).status).toBe(403);
        expect((await call('GET', '/v1/audits/no-such-audit', undefined, keys.op)).status).toBe(404);
      });

      it('shows an audit only to accounts above its customer', async () => {
        const { c } = await customer();
        const audit = await runAudit({ accountId: c, level: 'customer' });
        expect((await call('GET', `/v1/audits/${audit.id}`, undefined, keys.outsider)).status).toBe(404);
        expect((await call('GET', `/v1/audits/${audit.id}`)).status).toBe(200);
      });
    });
  });
}
