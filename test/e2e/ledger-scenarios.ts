import { LedgerHarness, StoreKind, startLedger } from '../support/ledger-harness';

/**
 * The HTTP end-to-end suite of the ledger core, run on every store combination
 * (PGlite, PostgreSQL, EventStoreDB + PostgreSQL). Every test talks to the real
 * service over a socket, as a client would.
 */
export function describeLedgerScenarios(name: string, start: () => Promise<LedgerHarness>): void {
  describe(`ledger over HTTP (${name})`, () => {
    let ledger: LedgerHarness;
    const keys: Record<string, string> = {};
    let seq = 0;
    /** A fresh number per test: +1 415 2xx xxxx. */
    const fresh = () => `+1415${String(2000000 + ++seq * 7).padStart(7, '0')}`;

    const as = (who: string) => (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
      ledger.call(method, path, { key: who === 'system' ? ledger.systemKey : keys[who], body: body ?? (method === 'GET' || method === 'DELETE' ? undefined : {}), headers });
    const sys = as('system');
    /** Everything appended so far, committed or not yet below the safe horizon. */
    const head = async () => ledger.appendedSoFar();
    const history = async (n: string) => (await sys('GET', `/v1/numbers/${encodeURIComponent(n)}/history`)).body.data as any[];
    const add = (n: string, body: Record<string, unknown> = {}) => sys('POST', '/v1/numbers', { number: n, ...body });

    beforeAll(async () => {
      ledger = await start();
      const accounts = [
        { id: 'res', name: 'Reseller', reseller: true, allowNumberAdditions: true },
        { id: 'child', name: 'Child of reseller', parentId: 'res' },
        { id: 'other', name: 'Unrelated', allowNumberAdditions: true },
        { id: 'admin', name: 'Super admin', superAdmin: true },
      ];
      for (const a of accounts) {
        const r = await sys('POST', '/v1/accounts', a);
        expect(r.status).toBe(201);
        const k = await sys('POST', `/v1/accounts/${a.id}/keys`, { name: 'test' });
        expect(k.status).toBe(201);
        keys[a.id] = k.body.key;
      }
    });

    afterAll(async () => ledger?.close());

    describe('accounts', () => {
      it('shows an account with its ancestors', async () => {
        const r = await as('child')('GET', '/v1/accounts/child');
        expect(r.status).toBe(200);
        expect(r.body).toMatchObject({ id: 'child', parentId: 'res', ancestors: ['system', 'res'] });
      });

      it('lets a reseller create a sub-account but not an unrelated account read it', async () => {
        const r = await as('res')('POST', '/v1/accounts', { id: 'res-sub', name: 'Sub' });
        expect(r.status).toBe(201);
        expect(r.body.ancestors).toEqual(['system', 'res']);
        expect((await as('other')('GET', '/v1/accounts/res-sub')).status).toBe(403);
        expect((await as('res')('POST', '/v1/accounts', { name: 'x', superAdmin: true })).status).toBe(403);
      });

      it('does not let an account grant rights it lacks', async () => {
        const reseller = await as('child')('POST', '/v1/accounts', { name: 'sneaky', reseller: true });
        expect(reseller.status).toBe(403);
        const adder = await as('child')('POST', '/v1/accounts', { name: 'sneaky', allowNumberAdditions: true });
        expect(adder.status).toBe(403);
        expect((await as('res')('POST', '/v1/accounts', { id: 'res-adder', name: 'ok', allowNumberAdditions: true })).status).toBe(201);
      });

      it('never stores or replays an issued key', async () => {
        const headers = { 'idempotency-key': 'key-once' };
        const first = await as('res')('POST', '/v1/accounts/res-sub/keys', { name: 'k' }, headers);
        const second = await as('res')('POST', '/v1/accounts/res-sub/keys', { name: 'k' }, headers);
        expect(first.status).toBe(201);
        expect(second.status).toBe(201);
        expect(second.body.key).not.toBe(first.body.key);
        const stored = await ledger.runtime.stores.sql.query(`SELECT body FROM idempotency_keys WHERE key = 'key-once'`);
        expect(stored.rows).toEqual([]);
      });

      it('refuses a duplicate account id and an unknown parent', async () => {
        expect((await sys('POST', '/v1/accounts', { id: 'res', name: 'again' })).status).toBe(409);
        const r = await sys('POST', '/v1/accounts', { name: 'orphan', parentId: 'nobody' });
        expect(r.status).toBe(400);
        expect(r.body.code).toBe('assign_failure');
      });
    });

    describe('add, reserve, acquire', () => {
      it('adds a number in_service for the requesting account by default', async () => {
        const n = fresh();
        const r = await as('res')('POST', '/v1/numbers', { number: n });
        expect(r.status).toBe(201);
        expect(r.body).toMatchObject({ number: n, state: 'in_service', assignedTo: 'res', carrierModule: 'knm_local' });
        expect(r.headers.get('x-ledger-position')).toMatch(/^\d+:\d+$/);
      });

      it('normalizes national input to E.164', async () => {
        const r = await add('(415) 555-0142'.replace(/\D/g, ''), { state: 'available', carrierModule: 'knm_inventory' });
        expect(r.status).toBe(201);
        expect(r.body.number).toBe('+14155550142');
      });

      it('refuses to create over an in_service number (number_exists)', async () => {
        const n = fresh();
        await add(n, { accountId: 'res' });
        const r = await add(n, { accountId: 'other' });
        expect(r.status).toBe(409);
        expect(r.body.code).toBe('number_exists');
      });

      it('refuses creation to accounts without allowNumberAdditions', async () => {
        const r = await as('child')('POST', '/v1/numbers', { number: fresh() });
        expect(r.status).toBe(403);
        expect(r.body.code).toBe('unauthorized');
      });

      it('lets anyone take an available number', async () => {
        const n = fresh();
        await add(n, { state: 'available', carrierModule: 'knm_inventory' });
        const r = await as('child')('POST', `/v1/numbers/${n}/acquire`, { accountId: 'child' });
        expect(r.status).toBe(200);
        expect(r.body).toMatchObject({ state: 'in_service', assignedTo: 'child' });
      });

      it('reserves for a sub-account, then the sub-account acquires; others are refused', async () => {
        const n = fresh();
        await add(n, { state: 'available', carrierModule: 'knm_inventory' });
        const reserved = await as('res')('POST', `/v1/numbers/${n}/reserve`, { accountId: 'child' });
        expect(reserved.status).toBe(200);
        expect(reserved.body).toMatchObject({ state: 'reserved', assignedTo: 'child', reserveHistory: ['child'] });
        const stolen = await as('other')('POST', `/v1/numbers/${n}/acquire`, { accountId: 'other' });
        expect(stolen.status).toBe(403);
        const again = await as('res')('POST', `/v1/numbers/${n}/reserve`, { accountId: 'child' });
        expect(again.status).toBe(409);
        expect(again.body.code).toBe('no_change_required');
        const acquired = await as('child')('POST', `/v1/numbers/${n}/acquire`, {});
        expect(acquired.body).toMatchObject({ state: 'in_service', assignedTo: 'child' });
      });

      it('lets descendants take what an ancestor reserved', async () => {
        const n = fresh();
        await add(n, { state: 'available', carrierModule: 'knm_inventory' });
        await as('res')('POST', `/v1/numbers/${n}/reserve`, { accountId: 'res' });
        const r = await as('child')('POST', `/v1/numbers/${n}/acquire`, { accountId: 'child' });
        expect(r.status).toBe(200);
        expect(r.body).toMatchObject({ state: 'in_service', assignedTo: 'child', prevAssignedTo: 'res' });
      });

      it('refuses a child acting on its parent\'s number', async () => {
        const n = fresh();
        await add(n, { accountId: 'res' });
        const r = await as('child')('POST', `/v1/numbers/${n}/release`);
        expect(r.status).toBe(403);
      });

      it('re-takes an aging number without authorization', async () => {
        const n = fresh();
        await add(n, { state: 'aging', carrierModule: 'knm_inventory' });
        const r = await as('other')('POST', `/v1/numbers/${n}/acquire`, { accountId: 'other' });
        expect(r.status).toBe(200);
        expect(r.body.state).toBe('in_service');
      });

      it('ports a number in', async () => {
        const n = fresh();
        const r = await as('child')('POST', `/v1/numbers/${n}/port-in`, { accountId: 'child' });
        expect(r.status).toBe(200);
        expect(r.body).toMatchObject({ state: 'port_in', assignedTo: 'child', carrierModule: 'knm_local' });
        const acquired = await as('child')('POST', `/v1/numbers/${n}/acquire`, {});
        expect(acquired.body.state).toBe('in_service');
      });
    });

    describe('release, age, delete', () => {
      it('unwinds the reservation history on release', async () => {
        const n = fresh();
        await add(n, { state: 'available', carrierModule: 'knm_inventory' });
        await sys('POST', `/v1/numbers/${n}/reserve`, { accountId: 'res' });
        const second = await as('res')('POST', `/v1/numbers/${n}/reserve`, { accountId: 'child' });
        expect(second.body.reserveHistory).toEqual(['child', 'res']);
        const back = await as('child')('POST', `/v1/numbers/${n}/release`);
        expect(back.status).toBe(200);
        expect(back.body).toMatchObject({ state: 'reserved', assignedTo: 'res', reserveHistory: ['res'] });
        const gone = await as('res')('POST', `/v1/numbers/${n}/release`);
        expect(gone.body).toMatchObject({ state: 'aging', assignedTo: null, reserveHistory: [] });
        expect(Date.parse(gone.body.agingUntil)).toBeGreaterThan(Date.now() + 89 * 86_400_000);
      });

      it('deletes local numbers on release', async () => {
        const n = fresh();
        await as('other')('POST', '/v1/numbers', { number: n, carrierModule: 'knm_local' });
        const r = await as('other')('POST', `/v1/numbers/${n}/release`);
        expect(r.body.state).toBe('deleted');
      });

      it('handles mdn numbers: own entry, only in_service, deleted on release', async () => {
        const n = fresh();
        const refused = await add(n, { carrierModule: 'knm_mdn' });
        expect(refused.status).toBe(400);
        const r = await sys('POST', '/v1/mdn-numbers', { number: n, accountId: 'child' });
        expect(r.status).toBe(201);
        expect(r.body).toMatchObject({ state: 'in_service', carrierModule: 'knm_mdn', assignedTo: 'child' });
        const reserve = await sys('POST', `/v1/numbers/${n}/reserve`, { accountId: 'res' });
        expect(reserve.status).toBe(409);
        expect(reserve.body.code).toBe('invalid_state_transition');
        expect((await as('child')('POST', '/v1/mdn-numbers', { number: fresh(), accountId: 'child' })).status).toBe(403);
        const released = await as('child')('POST', `/v1/numbers/${n}/release`);
        expect(released.body.state).toBe('deleted');
      });

      it('ages non-local numbers; early AgeNumber is refused, forced or due AgeNumber makes them available', async () => {
        const n = fresh();
        await add(n, { accountId: 'child', carrierModule: 'knm_inventory' });
        const released = await as('child')('POST', `/v1/numbers/${n}/release`);
        expect(released.body.state).toBe('aging');
        const early = await sys('POST', `/v1/numbers/${n}/age`);
        expect(early.status).toBe(409);
        expect(early.body.code).toBe('invalid_state_transition');
        expect((await as('res')('POST', `/v1/numbers/${n}/age`, { force: true })).status).toBe(403);
        const forced = await sys('POST', `/v1/numbers/${n}/age`, { force: true });
        expect(forced.body).toMatchObject({ state: 'available', agingUntil: null });
      });

      it('refuses to release an available number', async () => {
        const n = fresh();
        await add(n, { state: 'available', carrierModule: 'knm_inventory' });
        const r = await sys('POST', `/v1/numbers/${n}/release`);
        expect(r.status).toBe(409);
        expect(r.body.code).toBe('invalid_state_transition');
      });

      it('lets only admins delete; the history stays', async () => {
        const n = fresh();
        await add(n, { accountId: 'res', carrierModule: 'knm_inventory' });
        expect((await as('res')('DELETE', `/v1/numbers/${n}`)).status).toBe(403);
        const r = await as('admin')('DELETE', `/v1/numbers/${n}`);
        expect(r.status).toBe(200);
        expect(r.body.state).toBe('deleted');
        expect((await history(n)).map((e) => e.type)).toEqual(['NumberAdded.v1', 'NumberDeleted.v1']);
      });

      it('releases to available when the operator turns aging off, and the sweeper ages due numbers', async () => {
        const n = fresh();
        await add(n, { accountId: 'res', carrierModule: 'knm_inventory' });
        expect((await sys('PUT', '/v1/config/number-manager', { agingPeriodDays: 0 })).status).toBe(200);
        const aging = await as('res')('POST', `/v1/numbers/${n}/release`);
        expect(aging.body.state).toBe('aging');
        expect(await ledger.runtime.projector.reach(aging.headers.get('x-ledger-position')!)).toBe(true);
        const report = await ledger.runtime.sweeper.sweep();
        expect(report!.aged).toBeGreaterThanOrEqual(1);
        expect((await sys('GET', `/v1/numbers/${n}`)).body.state).toBe('available');
        await sys('PUT', '/v1/config/number-manager', { agingPeriodDays: 90, shouldAge: false });
        const m = fresh();
        await add(m, { accountId: 'res', carrierModule: 'knm_inventory' });
        expect((await as('res')('POST', `/v1/numbers/${m}/release`)).body.state).toBe('available');
        await sys('PUT', '/v1/config/number-manager', { shouldAge: true });
      });

      it('drains more than one batch of due numbers in one sweep', async () => {
        const system = { requester: { accountId: 'system', isSystem: true } };
        const numbers = Array.from({ length: 1_100 }, fresh); // the sweeper takes 500 at a time
        await Promise.all(numbers.map((n) => ledger.runtime.runner.run(n, { type: 'AddNumber', state: 'in_service', accountId: 'res', carrierModule: 'knm_inventory' }, system)));
        expect((await sys('PUT', '/v1/config/number-manager', { agingPeriodDays: 0 })).status).toBe(200);
        await Promise.all(numbers.map((n) => ledger.runtime.runner.run(n, { type: 'ReleaseNumber' }, system)));
        await ledger.settled();
        const report = await ledger.runtime.sweeper.sweep();
        await sys('PUT', '/v1/config/number-manager', { agingPeriodDays: 90 });
        expect(report!.aged).toBeGreaterThanOrEqual(1_100);
        await ledger.settled();
        const states = await ledger.runtime.stores.sql.query<{ state: string; n: number }>(
          'SELECT state, count(*)::int AS n FROM inventory WHERE number = ANY($1::text[]) GROUP BY state', [numbers],
        );
        expect(states.rows).toEqual([{ state: 'available', n: 1_100 }]);
      });

      it('releases expired reservations through the sweeper', async () => {
        const n = fresh();
        await add(n, { state: 'available', carrierModule: 'knm_inventory' });
        // Far enough ahead that a busy machine still decides the reserve before it; the sweep runs once it has passed.
        const expiresAt = new Date(Date.now() + 3_000).toISOString();
        const r = await as('res')('POST', `/v1/numbers/${n}/reserve`, { accountId: 'res', expiresAt });
        expect(r.body.reservationExpiresAt).toBe(expiresAt);
        expect(await ledger.runtime.projector.reach(r.headers.get('x-ledger-position')!)).toBe(true);
        while (Date.now() <= Date.parse(expiresAt)) await new Promise((done) => setTimeout(done, 50));
        const report = await ledger.runtime.sweeper.sweep();
        expect(report!.reservationsExpired).toBeGreaterThanOrEqual(1);
        const after = await sys('GET', `/v1/numbers/${n}`);
        expect(after.body.state).toBe('aging');
        const last = (await history(n)).pop();
        expect(last).toMatchObject({ type: 'NumberReleased.v1', data: { reason: 'reservation_expired' } });
      });
    });

    describe('reading rules', () => {
      it('reads available numbers for anyone, held numbers for ancestors only', async () => {
        const free = fresh();
        await add(free, { state: 'available', carrierModule: 'knm_inventory' });
        expect((await as('other')('GET', `/v1/numbers/${free}`)).status).toBe(200);
        const held = fresh();
        await add(held, { accountId: 'child' });
        expect((await as('res')('GET', `/v1/numbers/${held}`)).status).toBe(200);
        expect((await as('child')('GET', `/v1/numbers/${held}`)).status).toBe(200);
        const refused = await as('other')('GET', `/v1/numbers/${held}`);
        expect(refused.status).toBe(403);
        expect(refused.headers.get('content-type')).toContain('application/problem+json');
        expect((await sys('GET', `/v1/numbers/${fresh()}`)).status).toBe(404);
      });

      it('shows an account the history of its number only from when it came into its subtree', async () => {
        const n = fresh();
        await add(n, { accountId: 'other', carrierModule: 'knm_inventory' });
        await as('other')('PATCH', `/v1/numbers/${n}/features`, { e911: { street_address: '9 Secret Rd' } });
        await as('other')('POST', `/v1/numbers/${n}/release`);
        await as('child')('POST', `/v1/numbers/${n}/acquire`, { accountId: 'child' });
        const seen = await as('child')('GET', `/v1/numbers/${n}/history`);
        expect(seen.status).toBe(200);
        expect(seen.body.data.map((e: any) => e.type)).toEqual(['NumberAcquired.v1']);
        expect(JSON.stringify(seen.body)).not.toContain('Secret');
        expect((await as('res')('GET', `/v1/numbers/${n}/history`)).body.data).toHaveLength(1);
        expect((await as('other')('GET', `/v1/numbers/${n}/history`)).status).toBe(403);
        expect((await history(n)).map((e) => e.type)).toEqual(["NumberAdded.v1", "NumberFeaturesSet.v1", "NumberReleased.v1", "NumberAcquired.v1"]);
      });

      it('lets a descendant read what its ancestor reserved', async () => {
        const n = fresh();
        await add(n, { state: 'available', carrierModule: 'knm_inventory' });
        await as('res')('POST', `/v1/numbers/${n}/reserve`, { accountId: 'res' });
        expect((await as('child')('GET', `/v1/numbers/${n}`)).status).toBe(200);
        expect((await as('other')('GET', `/v1/numbers/${n}`)).status).toBe(403);
      });

      it('lists what the caller may see, after waiting for minPosition', async () => {
        const mine = fresh();
        const theirs = fresh();
        await add(mine, { accountId: 'child', carrierModule: 'knm_inventory' });
        const last = await add(theirs, { accountId: 'other', carrierModule: 'knm_inventory' });
        const pos = last.headers.get('x-ledger-position');
        const r = await as('res')('GET', `/v1/numbers?state=in_service&minPosition=${pos}&limit=1000`);
        expect(r.status).toBe(200);
        const listed = r.body.data.map((x: any) => x.number);
        expect(listed).toContain(mine);
        expect(listed).not.toContain(theirs);
        const own = await as('child')('GET', `/v1/accounts/child/numbers?state=in_service`);
        expect(own.body.data.map((x: any) => x.number)).toContain(mine);
      });

      it('pages the listing with a cursor', async () => {
        const prefix = '+1628555';
        let pos = '';
        for (let i = 0; i < 5; i++) pos = (await add(`${prefix}010${i}`, { state: 'available', carrierModule: 'knm_inventory' })).headers.get('x-ledger-position')!;
        const first = await sys('GET', `/v1/numbers?prefix=${encodeURIComponent(prefix)}&limit=3&minPosition=${pos}`);
        expect(first.body.data).toHaveLength(3);
        const second = await sys('GET', `/v1/numbers?prefix=${encodeURIComponent(prefix)}&limit=3&cursor=${first.body.nextCursor}`);
        expect(second.body.data.map((x: any) => x.number)).toEqual([`${prefix}0103`, `${prefix}0104`]);
        expect(second.body.nextCursor).toBeNull();
      });

      it('searches numbers an account may take', async () => {
        const n = '+16505550199';
        const r0 = await add(n, { state: 'available', carrierModule: 'knm_inventory' });
        const pos = r0.headers.get('x-ledger-position');
        const r = await as('child')('GET', `/v1/numbers/search?prefix=650&minPosition=${pos}`);
        expect(r.status).toBe(200);
        expect(r.body.data.map((x: any) => x.number)).toContain(n);
        const short = await as('child')('GET', '/v1/numbers/search?prefix=65');
        expect(short.status).toBe(400);
        expect((await as('child')('GET', '/v1/numbers/search?prefix=%2B1')).status).toBe(400);
        const e164 = await as('child')('GET', `/v1/numbers/search?prefix=${encodeURIComponent('+1650')}`);
        expect(e164.body.data.map((x: any) => x.number)).toContain(n);
      });

      it('refuses a billable number beyond the account\'s limit (402 service_restriction)', async () => {
        expect((await sys('POST', '/v1/accounts', { id: 'capped', name: 'Capped', maxBillableNumbers: 1, allowNumberAdditions: true })).status).toBe(201);
        keys.capped = (await sys('POST', '/v1/accounts/capped/keys')).body.key;
        const made = await sys('POST', '/v1/numbers/generate', { carrierModule: 'knm_managed', accountId: 'capped', start: '+13125550300', count: 2 });
        expect(await ledger.runtime.projector.reach(made.headers.get('x-ledger-position')!)).toBe(true);
        const first = await as('capped')('POST', '/v1/numbers/+13125550300/acquire', {});
        expect(first.status).toBe(200);
        expect(await ledger.runtime.projector.reach(first.headers.get('x-ledger-position')!)).toBe(true);
        const second = await as('capped')('POST', '/v1/numbers/+13125550301/acquire', {});
        expect(second.status).toBe(402);
        expect(second.body.code).toBe('service_restriction');
        expect((await sys('GET', '/v1/numbers/+13125550301')).body.state).toBe('available');
        const local = await as('capped')('POST', '/v1/numbers', { number: fresh(), carrierModule: 'knm_local' });
        expect(local.status).toBe(201); // local numbers are not billed, so not limited
        const released = await as('capped')('POST', '/v1/numbers/+13125550300/release');
        expect(await ledger.runtime.projector.reach(released.headers.get('x-ledger-position')!)).toBe(true);
        expect((await as('capped')('POST', '/v1/numbers/+13125550301/acquire', {})).status).toBe(200);
      });

      it('keeps managed numbers in their pool account\'s subtree', async () => {
        const r = await sys('POST', '/v1/numbers/generate', { carrierModule: 'knm_managed', accountId: 'res', start: '+13125550100', count: 3 });
        expect(r.status).toBe(201);
        expect(r.body.numbers).toEqual(['+13125550100', '+13125550101', '+13125550102']);
        const pos = r.headers.get('x-ledger-position');
        const childSees = await as('child')('GET', `/v1/numbers/search?prefix=312555&minPosition=${pos}`);
        expect(childSees.body.data.map((x: any) => x.number)).toEqual(r.body.numbers);
        const otherSees = await as('other')('GET', `/v1/numbers/search?prefix=312555&minPosition=${pos}`);
        expect(otherSees.body.data).toEqual([]);
        expect((await as('other')('POST', '/v1/numbers/+13125550100/acquire', { accountId: 'other' })).status).toBe(403);
        const taken = await as('child')('POST', '/v1/numbers/+13125550100/acquire', { accountId: 'child' });
        expect(taken.body).toMatchObject({ state: 'in_service', assignedTo: 'child' });
        expect((await as('res')('POST', '/v1/numbers/generate', { carrierModule: 'knm_inum', accountId: 'res', start: '+13125550200', count: 1 })).status).toBe(403);
      });
    });

    describe('collections and features', () => {
      it('runs a collection command number by number', async () => {
        const a = fresh();
        const b = fresh();
        await add(a, { state: 'available', carrierModule: 'knm_inventory' });
        await add(b, { accountId: 'other', carrierModule: 'knm_inventory' });
        const r = await as('res')('POST', '/v1/numbers/collection/reserve', { numbers: [a, b, 'not-a-number'], accountId: 'child' });
        expect(r.status).toBe(200);
        expect(Object.keys(r.body.success)).toEqual([a]);
        expect(r.body.error[b].code).toBe('unauthorized');
        expect(r.body.error['not-a-number'].code).toBe('not_reconcilable');
      });

      it('answers every number of a collection, even one named like an object\'s own property', async () => {
        const r = await as('res')('POST', '/v1/numbers/collection/release', { numbers: ['__proto__', 'constructor'] });
        expect(r.status).toBe(200);
        expect(Object.keys(r.body.error).sort()).toEqual(['__proto__', 'constructor']);
        expect(Object.values(r.body.error).map((e) => (e as { code: string }).code)).toEqual(['not_reconcilable', 'not_reconcilable']);
      });

      it('sets and removes features within the available set', async () => {
        const n = fresh();
        await add(n, { accountId: 'res', carrierModule: 'knm_inventory' });
        const set = await as('res')('PATCH', `/v1/numbers/${n}/features`, { e911: { street_address: '1 Main St' }, prepend: { name: 'sales' } });
        expect(set.status).toBe(200);
        expect(set.body.features.active).toMatchObject({ e911: { street_address: '1 Main St' }, prepend: { name: 'sales' } });
        const removed = await as('res')('PATCH', `/v1/numbers/${n}/features`, { prepend: null });
        expect(removed.body.features.active.prepend).toBeUndefined();
        const denied = await as('res')('PATCH', `/v1/numbers/${n}/features`, { failover: { e164: '+14155550000' } });
        expect(denied.status).toBe(403);
        const local = fresh();
        await as('other')('POST', '/v1/numbers', { number: local, carrierModule: 'knm_local' });
        expect((await as('other')('PATCH', `/v1/numbers/${local}/features`, { e911: { street_address: 'x' } })).status).toBe(403);
      });
    });

    describe('concurrency, idempotency, history', () => {
      it('lets exactly one of ten concurrent acquires win', async () => {
        const n = fresh();
        await add(n, { state: 'available', carrierModule: 'knm_inventory' });
        const racers = [];
        for (let i = 0; i < 10; i++) {
          const id = `racer-${name.replace(/\W/g, '')}-${i}`;
          await sys('POST', '/v1/accounts', { id, name: id });
          keys[id] = (await sys('POST', `/v1/accounts/${id}/keys`)).body.key;
          racers.push(id);
        }
        const results = await Promise.all(racers.map((id) => as(id)('POST', `/v1/numbers/${n}/acquire`, { accountId: id })));
        const winners = results.filter((r) => r.status === 200);
        expect(winners).toHaveLength(1);
        for (const r of results.filter((x) => x.status !== 200)) {
          expect([403, 409]).toContain(r.status);
          expect(r.headers.get('content-type')).toContain('application/problem+json');
        }
        const acquisitions = (await history(n)).filter((e) => e.type === 'NumberAcquired.v1');
        expect(acquisitions).toHaveLength(1);
        expect(acquisitions[0].data.accountId).toBe(winners[0].body.assignedTo);
      });

      it('appends nothing when a request is retried with the same Idempotency-Key', async () => {
        const n = fresh();
        await add(n, { state: 'available', carrierModule: 'knm_inventory' });
        // A plain repeat of this reserve would be refused (no_change_required); with the key it is the first answer again.
        const headers = { 'idempotency-key': `reserve-${n}` };
        const first = await as('res')('POST', `/v1/numbers/${n}/reserve`, { accountId: 'child' }, headers);
        expect(first.status).toBe(200);
        const before = await head();
        const retry = await as('res')('POST', `/v1/numbers/${n}/reserve`, { accountId: 'child' }, headers);
        expect(retry.status).toBe(200);
        expect(retry.headers.get('idempotent-replayed')).toBe('true');
        expect(retry.body).toEqual(first.body);
        expect(await head()).toBe(before);
        expect(await history(n)).toHaveLength(2);
        expect((await as('res')('POST', `/v1/numbers/${n}/reserve`, { accountId: 'child' })).body.code).toBe('no_change_required');
        const reused = await as('res')('POST', `/v1/numbers/${n}/release`, {}, headers);
        expect(reused.status).toBe(422);
      });

      it('appends once when the same Idempotency-Key arrives twice at the same time', async () => {
        const n = fresh();
        await add(n, { state: 'available', carrierModule: 'knm_inventory' });
        const headers = { 'idempotency-key': `twin-${n}` };
        const both = await Promise.all([1, 2].map(() => as('res')('POST', `/v1/numbers/${n}/reserve`, { accountId: 'child' }, headers)));
        expect(both.map((r) => r.status)).toEqual([200, 200]);
        expect(await history(n)).toHaveLength(2);
      });

      it('returns the past state with asOf', async () => {
        const n = fresh();
        await add(n, { state: 'available', carrierModule: 'knm_inventory' });
        await new Promise((r) => setTimeout(r, 20));
        const between = new Date().toISOString();
        await new Promise((r) => setTimeout(r, 20));
        await as('child')('POST', `/v1/numbers/${n}/acquire`, { accountId: 'child' });
        const past = await sys('GET', `/v1/numbers/${n}?asOf=${between}`);
        expect(past.body).toMatchObject({ state: 'available', assignedTo: null, version: 1 });
        const now = await sys('GET', `/v1/numbers/${n}`);
        expect(now.body).toMatchObject({ state: 'in_service', assignedTo: 'child', version: 2 });
        const before = await sys('GET', `/v1/numbers/${n}?asOf=2000-01-01T00:00:00Z`);
        expect(before.status).toBe(404);
        const h = await history(n);
        expect(h.map((e) => [e.revision, e.type])).toEqual([[0, 'NumberAdded.v1'], [1, 'NumberAcquired.v1']]);
        expect(h[1].metadata).toMatchObject({ actor: 'child', command: 'AcquireNumber' });
      });
    });

    describe('bad input changes nothing', () => {
      type Answer = { status: number; body: any; headers: Headers };
      const cases: Array<[string, () => Promise<Answer>, number, string | null]> = [
        ['not a number', () => sys('POST', '/v1/numbers', { number: 'hello' }), 400, 'not_reconcilable'],
        ['unknown state', () => sys('POST', '/v1/numbers', { number: '+14155559001', state: 'borrowed' }), 400, 'validation_failed'],
        ['unknown carrier module', () => sys('POST', '/v1/numbers', { number: '+14155559002', carrierModule: 'knm_nope' }), 400, 'validation_failed'],
        ['deprecated knm_bandwidth', () => sys('POST', '/v1/numbers', { number: '+14155559003', carrierModule: 'knm_bandwidth' }), 400, 'validation_failed'],
        ['unknown account', () => sys('POST', '/v1/numbers', { number: '+14155559004', accountId: 'ghost' }), 400, 'assign_failure'],
        ['unknown field', () => sys('POST', '/v1/numbers', { number: '+14155559005', colour: 'red' }), 400, 'validation_failed'],
        ['malformed JSON', () => ledger.call('POST', '/v1/numbers', { raw: '{"number": ', key: ledger.systemKey }), 400, 'validation_failed'],
        ['missing key', () => ledger.call('POST', '/v1/numbers', { key: null, body: { number: '+14155559006' } }), 401, 'unauthenticated'],
        ['wrong key', () => ledger.call('POST', '/v1/numbers', { key: 'nope', body: { number: '+14155559007' } }), 401, 'unauthenticated'],
        ['oversized body', () => sys('POST', '/v1/numbers', { number: '+14155559008', pad: 'x'.repeat(100_000) }), 413, 'payload_too_large'],
        ['bad asOf', () => sys('GET', '/v1/numbers/+14155559009?asOf=yesterday'), 400, 'validation_failed'],
        ['bad minPosition', () => sys('GET', '/v1/numbers?minPosition=abc'), 400, 'validation_failed'],
        ['minPosition past the end of the log (answered at once, not after the wait)', () => sys('GET', '/v1/numbers?minPosition=99999999999999999999:1'), 400, 'validation_failed'],
        ['unknown collection action', () => sys('POST', '/v1/numbers/collection/steal', { numbers: ['+14155559010'] }), 400, 'validation_failed'],
        ...['__proto__', 'constructor', 'valueOf', 'hasOwnProperty'].map((action): [string, () => Promise<Answer>, number, string] =>
          [`collection action named like an object's own (${action})`, () => sys('POST', `/v1/numbers/collection/${action}`, { numbers: ['+14155559010'] }), 400, 'validation_failed']),
        ...['2026-W01', '20261204', '2026-12-04T10:00:00,5Z', '2026-12-04T10:00:00'].flatMap((instant): Array<[string, () => Promise<Answer>, number, string]> => [
          [`ISO 8601 asOf no Date reads (${instant})`, () => sys('GET', `/v1/numbers/+14155559009?asOf=${instant}`), 400, 'validation_failed'],
          [`ISO 8601 quantities asOf no Date reads (${instant})`, () => sys('GET', `/v1/accounts/res/quantities?asOf=${instant}`), 400, 'validation_failed'],
        ]),
        ['generated range running into another country code', () => sys('POST', '/v1/numbers/generate', { carrierModule: 'knm_inum', accountId: 'res', start: '+19999999990', count: 12 }), 400, 'validation_failed'],
        ['config by an account', () => as('res')('PUT', '/v1/config/number-manager', { shouldAge: false }), 403, 'unauthorized'],
      ];

      it.each(cases)('%s', async (_label, send, status, code) => {
        const before = await head();
        const r = await send();
        expect(r.status).toBe(status);
        expect(r.headers.get('content-type')).toContain('application/problem+json');
        if (code) expect(r.body.code).toBe(code);
        expect(await head()).toBe(before);
      });

      it('points knm_bandwidth users to knm_bandwidth2', async () => {
        const r = await sys('POST', '/v1/numbers', { number: '+14155559011', carrierModule: 'knm_bandwidth' });
        expect(r.body.detail).toContain('knm_bandwidth2');
      });
    });

    describe('operations', () => {
      it('serves health, readiness, metrics and the OpenAPI document without a key', async () => {
        expect((await ledger.call('GET', '/health', { key: null })).status).toBe(200);
        const n = fresh();
        await add(n, { state: 'available', carrierModule: 'knm_inventory' });
        await as('res')('POST', `/v1/numbers/${n}/acquire`, { accountId: 'res' });
        await as('other')('POST', `/v1/numbers/${n}/acquire`, { accountId: 'other' });
        await as('res')('POST', `/v1/numbers/${n}/release`);
        await ledger.settled();
        const ready = await ledger.call('GET', '/ready', { key: null });
        expect(ready.status).toBe(200);
        expect(ready.body).toMatchObject({ status: 'ready', projectionLagSeconds: 0 });
        const metrics = await ledger.call('GET', '/metrics', { key: null });
        expect(metrics.body).toContain('ledger_commands_total{type="AcquireNumber",outcome="ok"}');
        expect(metrics.body).toContain('ledger_commands_total{type="AcquireNumber",outcome="unauthorized"}');
        expect(metrics.body).toMatch(/ledger_command_duration_seconds_bucket\{le="0.01",type="ReleaseNumber"\} \d+/);
        expect(metrics.body).toContain('ledger_projection_lag_seconds 0');
        const doc = await ledger.call('GET', '/openapi.json', { key: null });
        expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/v1/numbers', '/v1/numbers/{number}/acquire']));
        expect((await ledger.call('GET', '/docs', { key: null })).status).toBe(200);
      });

      it('reads the configuration with SPEC defaults', async () => {
        const r = await sys('GET', '/v1/config/number-manager');
        expect(r.body).toMatchObject({ releasedState: 'available', shouldAge: true, agingPeriodDays: 90, shouldPermanentlyDelete: false, searchMinPrefixLength: 3 });
      });

      it('rebuilds the read models from zero into identical tables', async () => {
        const { sql } = ledger.runtime.stores;
        const snapshot = async () => (await sql.query(`SELECT * FROM inventory ORDER BY number`)).rows;
        await ledger.settled();
        const before = await snapshot();
        await ledger.runtime.projector.stop();
        await ledger.runtime.projector.reset();
        await ledger.runtime.projector.catchUp();
        ledger.runtime.projector.start();
        expect(await snapshot()).toEqual(before);
      });
    });
  });
}

export const startOn = (kind: StoreKind) => () => startLedger(kind);
