import { captureLogs, FakeCarrier, json, recorded, SECRET, settingsFor, written, xml, type FakeReply, type SeenRequest } from '@ledger/carriers/test/fake-carrier';
import { ApiResponse, LedgerHarness, StoreKind, startLedger } from '../support/ledger-harness';
import { whileAppendsLoseTheRace } from '../support/losing-race';
import { TelnyxAccountFake } from './telnyx-account-fake';

/** What an API response or a log line must never contain: the distinctive part of every test credential. */
const LEAK = 'Zebra-s3cr3t';
const PHONE_ID = '1293384261075731499';
const OPERATOR_MODULES = ['knm_local', 'knm_inventory', 'knm_managed', 'knm_inum', 'knm_mdn'];
const ADDRESS = { callerName: 'Valued customer', streetAddress: '301 MARINA BLVD', locality: 'SAN FRANCISCO', region: 'CA', postalCode: '94123' };

/** A Telnyx v2 account: search, order, phone numbers, e911; `down` answers 503 echoing the caller's token. */
function telnyxRoute(state: { down: boolean }) {
  return (req: SeenRequest): FakeReply => {
    if (state.down) return json({ errors: [{ title: 'Service unavailable', detail: `maintenance for ${req.headers.authorization}` }] }, 503);
    if (req.path === '/v2/available_phone_numbers') return json(written('telnyx_v2_available_phone_numbers.json'));
    if (req.path === '/v2/number_orders') return json(written('telnyx_v2_number_order.json'));
    // The order Telnyx answered `pending` is confirmed when looked at again.
    if (req.method === 'GET' && req.path.startsWith('/v2/number_orders/')) return json(written('telnyx_v2_number_order.json').replace(/"pending"/g, '"success"'));
    if (req.method === 'GET' && req.path === '/v2/phone_numbers') return json(written('telnyx_v2_phone_numbers.json'));
    if (req.method === 'DELETE' && req.path.startsWith('/v2/phone_numbers/')) return json(written('telnyx_v2_delete_phone_number.json'));
    if (req.method === 'POST' && req.path === '/v2/addresses') return json(written('telnyx_v2_address.json'));
    if (req.method === 'DELETE' && req.path.startsWith('/v2/addresses/')) return json(recorded('telnyx_delete_e911.json'));
    if (req.path.endsWith('/actions/enable_emergency')) {
      return json(written(JSON.parse(req.body).emergency_enabled ? 'telnyx_v2_enable_emergency.json' : 'telnyx_v2_disable_emergency.json'));
    }
    return { status: 404, body: '{}' };
  };
}

/** An operator's knm_other middleware; `slow` never answers a search. */
function otherRoute(state: { slow: boolean }) {
  return (req: SeenRequest): FakeReply => {
    if (req.path === '/numbers') {
      // The second number's locality quotes our credentials back, as a careless upstream might: it must reach no caller.
      return state.slow ? { hang: true } : json({ numbers: [{ number: '+13125550300', region: 'IL' }, { number: '+13125550301', locality: req.headers.authorization }] });
    }
    if (req.method === 'POST' && req.path.endsWith('/order')) return json({ status: 'complete', orderId: 'mw-1' });
    if (req.method === 'DELETE') return { status: 204 };
    if (req.path === '/held-numbers') {
      return json(req.query.get('page') === '1' ? { numbers: [{ number: '+13125550300', status: 'active' }], nextPage: 2 } : { numbers: [{ number: '+13125550398', status: 'active' }, { number: '+13125550399', status: 'active' }], nextPage: null });
    }
    return { status: 404, body: '{}' };
  };
}

/**
 * Upstream carriers end to end, over HTTP, with fake carrier servers replaying
 * recorded and documented responses: settings per system and reseller, search
 * fan-out, ordering on acquire, disconnecting on release, e911, outages.
 */
export function describeCarrierScenarios(name: string, start: () => Promise<LedgerHarness>): void {
  describe(`upstream carriers over HTTP (${name})`, () => {
    let ledger: LedgerHarness;
    let telnyx: FakeCarrier;
    let other: FakeCarrier;
    const telnyxState = { down: false };
    const otherState = { slow: true };
    const keys: Record<string, string> = {};
    const responses: string[] = [];
    const logs = captureLogs();

    const as = (who: string) => async (method: string, path: string, body?: unknown): Promise<ApiResponse> => {
      const r = await ledger.call(method, path, { key: who === 'system' ? ledger.systemKey : keys[who], body: body ?? (method === 'GET' ? undefined : {}) });
      responses.push(`${r.status} ${JSON.stringify([...r.headers.entries()])} ${JSON.stringify(r.body)}`);
      return r;
    };
    const sys = as('system');
    const cust = as('cust');
    const enc = encodeURIComponent;
    const history = async (n: string) => (await sys('GET', `/v1/numbers/${enc(n)}/history`)).body.data as any[];
    const search = async (query: string) => cust('GET', `/v1/numbers/search?${query}`);
    const numbersOf = (r: ApiResponse) => (r.body.data as any[]).map((n) => n.number);

    beforeAll(async () => {
      telnyx = await FakeCarrier.start(telnyxRoute(telnyxState));
      other = await FakeCarrier.start(otherRoute(otherState));
      ledger = await start();
      ledger.carrierLogs.use(logs.logger);
      for (const a of [
        { id: 'res', name: 'Reseller', reseller: true },
        { id: 'cust', name: 'Customer', parentId: 'res' },
        { id: 'stranger', name: 'Unrelated' },
      ]) {
        expect((await sys('POST', '/v1/accounts', a)).status).toBe(201);
        keys[a.id] = (await sys('POST', `/v1/accounts/${a.id}/keys`, { name: 'test' })).body.key;
      }
      expect((await sys('PUT', '/v1/config/number-manager', { carrierModules: [...OPERATOR_MODULES, 'knm_telnyx'] })).status).toBe(200);
      expect((await sys('POST', '/v1/numbers', { number: '+13125550150', state: 'available', carrierModule: 'knm_inventory' })).status).toBe(201);
      // Searches read the inventory projection, and their first answer is cached: let it see that number.
      await ledger.settled();
    });

    afterAll(async () => {
      await ledger?.close();
      await telnyx?.close();
      await other?.close();
    });

    describe('settings', () => {
      it('stores a module\'s settings and shows which credentials are set, never their values', async () => {
        const settings = settingsFor('knm_telnyx', telnyx.url, { debug: true, timeoutMs: 30_000, costs: { activation: 2, monthly: 1 } });
        const put = await sys('PUT', '/v1/config/carriers/knm_telnyx', settings);
        expect(put.status).toBe(200);
        expect(put.body).toMatchObject({
          module: 'knm_telnyx', scope: 'system', configured: true,
          settings: { baseUrl: telnyx.url, credentials: { token: '***' }, costs: { activation: 2, monthly: 1 }, minSearchPrefix: 3 },
        });
        const got = await sys('GET', '/v1/config/carriers/knm_telnyx');
        expect(got.body.settings).toEqual(put.body.settings);
        expect((await sys('GET', '/v1/config/carriers')).body).toMatchObject({ enabledModules: ['knm_telnyx'], modules: { knm_telnyx: { configured: true } } });
        expect((await cust('GET', '/v1/config/carriers/knm_telnyx')).status).toBe(403);
      });

      it('keeps the stored credentials when a PUT leaves them out', async () => {
        const { credentials: _omitted, ...rest } = settingsFor('knm_telnyx', telnyx.url, { debug: true, timeoutMs: 30_000, costs: { activation: 2, monthly: 1 } });
        const put = await sys('PUT', '/v1/config/carriers/knm_telnyx', rest);
        expect(put.status).toBe(200);
        expect(put.body.settings.credentials).toEqual({ token: '***' });
      });

      it('refuses knm_bandwidth, non-carrier modules and bad settings, changing nothing', async () => {
        const before = (await sys('GET', '/v1/config/carriers/knm_telnyx')).body;
        const bandwidth = await sys('PUT', '/v1/config/carriers/knm_bandwidth', { baseUrl: telnyx.url });
        expect(bandwidth.status).toBe(400);
        expect(bandwidth.body.detail).toContain('knm_bandwidth2');
        expect((await sys('PUT', '/v1/config/carriers/knm_local', {})).status).toBe(400);
        for (const bad of [
          { baseUrl: 'ftp://carrier.example' },
          { baseUrl: `http://user:${SECRET}@carrier.example` },
          { credentials: { token: 42 } },
          { credentials: 'tok' },
          { timeoutMs: 1 },
          { surprise: true },
        ]) {
          const r = await sys('PUT', '/v1/config/carriers/knm_telnyx', bad);
          expect([r.status, r.body.code]).toEqual([400, 'validation_failed']);
        }
        expect((await sys('GET', '/v1/config/carriers/knm_telnyx')).body).toEqual(before);
      });
    });

    describe('search, acquire, release', () => {
      it('shows upstream numbers beside inventory, recorded as discovery entries', async () => {
        const r = await search('prefix=312555');
        expect(r.status).toBe(200);
        expect(r.body.carriers).toEqual([{ module: 'knm_telnyx', status: 'ok' }]);
        expect(numbersOf(r)).toEqual(['+13125550101', '+13125550150', '+13125550177']);
        const [upstream, local] = r.body.data;
        expect(upstream).toMatchObject({ state: 'discovery', carrierModule: 'knm_telnyx', upstream: { costs: { activation: 2, monthly: 1 }, region: 'IL' } });
        expect(local).toMatchObject({ state: 'available', carrierModule: 'knm_inventory' });
        expect(local.upstream).toBeUndefined();
        const [asked] = telnyx.seen('GET', '/v2/available_phone_numbers');
        expect(asked.query.get('filter[national_destination_code]')).toBe('312');
        expect((await history('+13125550101')).map((e) => e.type)).toEqual(['NumberDiscovered.v1']);
      });

      it('keeps later pages of the same query stable (cached), even when the inventory changes', async () => {
        const searches = telnyx.seen('GET', '/v2/available_phone_numbers').length;
        expect((await sys('POST', '/v1/numbers', { number: '+13125550160', state: 'available', carrierModule: 'knm_inventory' })).status).toBe(201);
        const pages = [];
        for (const offset of [0, 1, 2]) pages.push(await search(`prefix=312555&quantity=1&offset=${offset}`));
        expect(pages.map(numbersOf)).toEqual([['+13125550101'], ['+13125550150'], ['+13125550177']]);
        expect(pages.map((p) => p.body.nextOffset)).toEqual([1, 2, null]);
        expect(telnyx.seen('GET', '/v2/available_phone_numbers')).toHaveLength(searches);
      });

      it('acquires an upstream number: ordered upstream first, the history shows it', async () => {
        const r = await cust('POST', `/v1/numbers/${enc('+13125550101')}/acquire`, { accountId: 'cust' });
        expect(r.status).toBe(200);
        expect(r.body).toMatchObject({ state: 'in_service', assignedTo: 'cust', carrierModule: 'knm_telnyx' });
        const orders = telnyx.seen('POST', '/v2/number_orders');
        expect(orders.map((o) => JSON.parse(o.body).phone_numbers)).toEqual([[{ phone_number: '+13125550101' }]]);
        const events = await history('+13125550101');
        expect(events.map((e) => e.type)).toEqual(['NumberDiscovered.v1', 'NumberAcquired.v1']);
        expect(events[1].data).toMatchObject({ from: 'discovery', orderFromCarrier: true });
        // Telnyx answered the order `pending`: it was looked at again until Telnyx confirmed it.
        expect(telnyx.seen('GET', '/v2/number_orders/12ade33a-21c0-473b-b055-b3c836e1c292')).toHaveLength(1);
      });

      it('applies e911 through Telnyx while the number is in service', async () => {
        const r = await cust('PATCH', `/v1/numbers/${enc('+13125550101')}/features`, { e911: ADDRESS });
        expect(r.status).toBe(200);
        expect(telnyx.seen('POST', '/v2/addresses')).toHaveLength(1);
        const [enable] = telnyx.seen('POST', `/v2/phone_numbers/${PHONE_ID}/actions/enable_emergency`);
        expect(JSON.parse(enable.body)).toMatchObject({ emergency_enabled: true });
      });

      it('releases it: e911 removed and the number disconnected upstream, then aging', async () => {
        const r = await cust('POST', `/v1/numbers/${enc('+13125550101')}/release`);
        expect(r.status).toBe(200);
        expect(r.body).toMatchObject({ state: 'aging', assignedTo: null });
        const emergency = telnyx.seen('POST', `/v2/phone_numbers/${PHONE_ID}/actions/enable_emergency`).map((q) => JSON.parse(q.body).emergency_enabled);
        expect(emergency).toEqual([true, false]);
        expect(telnyx.seen('DELETE', `/v2/phone_numbers/${PHONE_ID}`)).toHaveLength(1);
        const last = (await history('+13125550101')).at(-1);
        expect(last).toMatchObject({ type: 'NumberReleased.v1', data: { state: 'aging', disconnectFromCarrier: true, upstream: 'disconnected' } });
      });

      it('records nothing and answers 502 carrier_fault when the carrier is down during acquire', async () => {
        const before = await history('+13125550177');
        telnyxState.down = true;
        try {
          const r = await cust('POST', `/v1/numbers/${enc('+13125550177')}/acquire`, { accountId: 'cust' });
          expect(r.status).toBe(502);
          expect(r.headers.get('content-type')).toContain('application/problem+json');
          expect(r.body).toMatchObject({ code: 'carrier_fault', status: 502 });
        } finally {
          telnyxState.down = false;
        }
        expect(await history('+13125550177')).toEqual(before);
        expect((await cust('GET', `/v1/numbers/${enc('+13125550177')}`)).body.state).toBe('discovery');
        expect(telnyx.seen('POST', '/v2/number_orders').length).toBeGreaterThanOrEqual(2);
      });

      it('gives a bought number back upstream when its purchase cannot be recorded', async () => {
        const n = '+13125550177';
        const before = await history(n);
        const orders = telnyx.seen('POST', '/v2/number_orders').length;
        const lookups = () => telnyx.seen('GET', '/v2/phone_numbers');
        const disconnectsBefore = lookups().length;
        const r = await whileAppendsLoseTheRace(ledger.runtime.stores.events, `number-${n}`, () =>
          cust('POST', `/v1/numbers/${enc(n)}/acquire`, { accountId: 'cust' }));
        expect(r.status).toBe(409);
        expect(r.body.code).toBe('concurrency_conflict');
        expect(telnyx.seen('POST', '/v2/number_orders')).toHaveLength(orders + 1); // ordered once, not once per retry
        // the disconnect looks the number up at Telnyx first (this fake only knows +13125550101, so it stops there)
        expect(lookups()).toHaveLength(disconnectsBefore + 1);
        expect(await history(n)).toEqual(before);
      });
    });

    describe('orders confirmed before a number is ours, exact disconnects (Telnyx as documented)', () => {
      let account: TelnyxAccountFake;
      const solo = as('solo');
      const billed = async () => {
        const { asOf: _asOf, ...quantities } = (await solo('GET', '/v1/accounts/solo/quantities')).body;
        return quantities;
      };
      const discover = async (n: string) => {
        account.available.add(n);
        const r = await solo('GET', `/v1/numbers/search?prefix=${enc(n.slice(2))}`);
        expect(numbersOf(r)).toContain(n);
      };
      const sweep = async () => {
        await ledger.settled();
        const report = await ledger.runtime.sweeper.sweep();
        await ledger.settled();
        return report!;
      };

      beforeAll(async () => {
        account = await TelnyxAccountFake.start();
        expect((await sys('POST', '/v1/accounts', { id: 'solo', name: 'Solo' })).status).toBe(201);
        keys.solo = (await sys('POST', '/v1/accounts/solo/keys', { name: 'test' })).body.key;
        const settings = settingsFor('knm_telnyx', account.url, { timeoutMs: 30_000, orderPoll: { attempts: 2, intervalMs: 0 } });
        expect((await sys('PUT', '/v1/config/carriers/knm_telnyx', settings)).status).toBe(200);
      });
      afterAll(async () => {
        await sys('PUT', '/v1/config/carriers/knm_telnyx', settingsFor('knm_telnyx', telnyx.url, { debug: true, timeoutMs: 30_000, costs: { activation: 2, monthly: 1 } }));
        await account?.carrier.close();
      });

      it('pending then confirmed within the bound: in service at once', async () => {
        const n = '+17735550401';
        await discover(n);
        account.orderAnswer = 'pending';
        account.settleOnCheck = { after: 2, status: 'success' };
        const r = await solo('POST', `/v1/numbers/${enc(n)}/acquire`, { accountId: 'solo' });
        account.settleOnCheck = null;
        expect(r.status).toBe(200);
        expect(r.body).toMatchObject({ state: 'in_service', assignedTo: 'solo', pendingOrder: null });
        expect((await history(n)).map((e) => e.type)).toEqual(['NumberDiscovered.v1', 'NumberAcquired.v1']);
        expect((await solo('GET', `/v1/numbers/${enc(n)}`)).body).toMatchObject({ state: 'in_service', assignedTo: 'solo', pendingOrder: null });
      });

      it('still pending past the bound: 202, shown as a pending order, not held, not billed; the sweeper confirms it later', async () => {
        const n = '+17735550402';
        await discover(n);
        const before = await billed();
        account.orderAnswer = 'pending';
        const r = await solo('POST', `/v1/numbers/${enc(n)}/acquire`, { accountId: 'solo' });
        expect(r.status).toBe(202);
        expect(r.body).toMatchObject({ state: 'discovery', assignedTo: null, pendingOrder: { module: 'knm_telnyx', orderId: expect.any(String), accountId: 'solo', becomes: 'in_service' } });
        const orderId = r.body.pendingOrder.orderId;
        // Another tenant may read the unassigned number, not the order (its carrier account's, SPEC 12).
        expect((await as('stranger')('GET', `/v1/numbers/${enc(n)}`)).body).toMatchObject({ state: 'discovery', pendingOrder: null });
        expect(account.carrier.seen('GET', `/v2/number_orders/${orderId}`)).toHaveLength(2);
        expect((await history(n)).map((e) => e.type)).toEqual(['NumberDiscovered.v1', 'NumberOrderPending.v1']);
        await ledger.settled();
        expect(await billed()).toEqual(before);
        // nobody else takes it meanwhile, and the orderer cannot order it twice
        expect((await sys('POST', `/v1/numbers/${enc(n)}/acquire`, { accountId: 'cust' })).body.code).toBe('invalid_state_transition');
        expect(account.carrier.seen('POST', '/v2/number_orders').filter((o) => o.body.includes(n))).toHaveLength(1);

        expect(await sweep()).toMatchObject({ ordersConfirmed: 0, ordersPending: 1 });
        expect((await solo('GET', `/v1/numbers/${enc(n)}`)).body.state).toBe('discovery');
        account.settle(n, 'success');
        expect(await sweep()).toMatchObject({ ordersConfirmed: 1, ordersPending: 0 });
        expect((await solo('GET', `/v1/numbers/${enc(n)}`)).body).toMatchObject({ state: 'in_service', assignedTo: 'solo', pendingOrder: null });
        expect((await history(n)).map((e) => e.type)).toEqual(['NumberDiscovered.v1', 'NumberOrderPending.v1', 'NumberOrderConfirmed.v1', 'NumberAcquired.v1']);
        expect(account.carrier.seen('POST', '/v2/number_orders').filter((o) => o.body.includes(n))).toHaveLength(1);
        expect(await billed()).not.toEqual(before);
      });

      it('pending then failed: the sweeper releases it from the account saying why', async () => {
        const n = '+17735550403';
        await discover(n);
        account.orderAnswer = 'pending';
        const r = await solo('POST', `/v1/numbers/${enc(n)}/reserve`, { accountId: 'solo' });
        expect([r.status, r.body.pendingOrder?.becomes]).toEqual([202, 'reserved']);
        account.settle(n, 'failure');
        expect(await sweep()).toMatchObject({ ordersFailed: 1 });
        const last = (await history(n)).at(-1);
        expect(last).toMatchObject({ type: 'NumberOrderFailed.v1', data: { accountId: 'solo', reason: expect.stringContaining('failed order') } });
        expect((await sys('GET', `/v1/numbers/${enc(n)}`)).body).toMatchObject({ state: 'deleted', assignedTo: null, prevAssignedTo: 'solo' });
      });

      it('an order Telnyx fails at once is a carrier_fault: nothing recorded', async () => {
        const n = '+17735550404';
        await discover(n);
        account.orderAnswer = 'failure';
        const r = await solo('POST', `/v1/numbers/${enc(n)}/acquire`, { accountId: 'solo' });
        expect([r.status, r.body.code]).toEqual([502, 'carrier_fault']);
        expect((await history(n)).map((e) => e.type)).toEqual(['NumberDiscovered.v1']);
        account.orderAnswer = 'pending';
      });

      it('a release looks the exact number up (digits) and deletes only it, even when a partial match comes first', async () => {
        const n = '+17735550402';
        account.held.set('+177355504021', 'active'); // contains the digits of n, listed first
        const r = await solo('POST', `/v1/numbers/${enc(n)}/release`);
        expect([r.status, r.body.detail]).toEqual([200, undefined]);
        const [lookup] = account.carrier.seen('GET', '/v2/phone_numbers').slice(-1);
        expect(lookup.query.get('filter[phone_number]')).toBe('17735550402');
        expect(account.carrier.seen('DELETE', /.*/).map((d) => d.path)).toEqual(['/v2/phone_numbers/pn-17735550402']);
        expect(account.held.has('+177355504021')).toBe(true);
        expect((await history(n)).at(-1)).toMatchObject({ type: 'NumberReleased.v1', data: { upstream: 'disconnected' } });
      });

      it('a lookup that misses, or a refused disconnect, is a carrier_fault: nothing recorded, still held', async () => {
        const n = '+17735550401';
        account.held.delete(n);
        const before = await history(n);
        const missed = await solo('POST', `/v1/numbers/${enc(n)}/release`);
        expect([missed.status, missed.body.code]).toEqual([502, 'carrier_fault']);
        account.held.set(n, 'active');
        account.locked.add(n);
        const refused = await solo('POST', `/v1/numbers/${enc(n)}/release`);
        expect([refused.status, refused.body.code]).toEqual([502, 'carrier_fault']);
        expect(refused.body.detail).toContain('Deletion lock');
        expect(await history(n)).toEqual(before);
        expect((await solo('GET', `/v1/numbers/${enc(n)}`)).body.state).toBe('in_service');
        account.locked.delete(n);
      });

      it('Bandwidth: an order still RECEIVED past the bound is pending, then the sweeper follows the carrier to COMPLETE', async () => {
        const bandwidth = { status: 'RECEIVED' };
        const fake = await FakeCarrier.start((req) => {
          if (req.path.endsWith('/availableNumbers')) return xml(recorded('bandwidth2_find_by_npa.xml'));
          if (req.path.endsWith('/orders')) return xml(recorded('bandwidth2_buy_a_number.xml'), 201);
          if (req.path.includes('/orders/')) return xml(recorded('bandwidth2_check_order.xml').replace('COMPLETE', bandwidth.status));
          return { status: 404, body: '' };
        });
        try {
          expect((await sys('PUT', '/v1/config/carriers/knm_bandwidth2', settingsFor('knm_bandwidth2', fake.url, { orderPoll: { attempts: 1, intervalMs: 0 } }))).status).toBe(200);
          expect((await sys('PUT', '/v1/config/number-manager', { carrierModules: [...OPERATOR_MODULES, 'knm_telnyx', 'knm_bandwidth2'] })).status).toBe(200);
          const n = '+19733705112';
          expect(numbersOf(await solo('GET', '/v1/numbers/search?prefix=973370'))).toContain(n);
          const r = await solo('POST', `/v1/numbers/${enc(n)}/acquire`, { accountId: 'solo' });
          expect([r.status, r.body.state, r.body.pendingOrder?.module]).toEqual([202, 'discovery', 'knm_bandwidth2']);
          expect(await sweep()).toMatchObject({ ordersPending: 1, ordersConfirmed: 0 });
          bandwidth.status = 'COMPLETE';
          expect(await sweep()).toMatchObject({ ordersConfirmed: 1 });
          expect((await solo('GET', `/v1/numbers/${enc(n)}`)).body).toMatchObject({ state: 'in_service', assignedTo: 'solo', carrierModule: 'knm_bandwidth2' });
          expect(fake.seen('POST', /\/orders$/)).toHaveLength(1);
        } finally {
          expect((await sys('PUT', '/v1/config/number-manager', { carrierModules: [...OPERATOR_MODULES, 'knm_telnyx'] })).status).toBe(200);
          await fake.close();
        }
      });

      it('reconciles a carrier holding 10,000 numbers with the ledger: finds exactly the planted differences, changes nothing unasked', async () => {
        const wrongModule = '+16305560100';
        expect((await sys('POST', '/v1/numbers', { number: wrongModule, state: 'in_service', carrierModule: 'knm_inventory', accountId: 'solo' })).status).toBe(201);
        const pendingNumber = '+17735550405';
        await discover(pendingNumber);
        account.orderAnswer = 'pending';
        expect((await solo('POST', `/v1/numbers/${enc(pendingNumber)}/acquire`, { accountId: 'solo' })).status).toBe(202);
        const ledgerHeld = Array.from({ length: 10_000 }, (_, i) => `+1630555${String(i).padStart(4, '0')}`);
        const csv = ['e164,account_id,state,carrier_module', ...ledgerHeld.map((n) => `${n},solo,in_service,knm_telnyx`)].join('\n') + '\n';
        const task = await ledger.call('POST', '/v1/tasks?action=import', { key: ledger.systemKey, raw: csv, headers: { 'content-type': 'text/csv' } });
        expect(task.status).toBe(202);
        for (let status = ''; !['success', 'partial', 'failure'].includes(status);) {
          status = (await sys('GET', `/v1/tasks/${task.body.id}`)).body.status; // waits for the task's end, asserts nothing on time
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        expect((await sys('GET', `/v1/tasks/${task.body.id}`)).body).toMatchObject({ status: 'success', succeeded: 10_000 });
        const broken = ['+16305550010', '+16305555000', '+16305559999'];
        const unknown = ['+16305560001', '+16305560002', '+16305560003'];
        const releasedInLedger = '+17735550402'; // released above (aging), planted as still active upstream
        account.held.clear();
        for (const n of ledgerHeld.filter((x) => !broken.includes(x))) account.held.set(n, 'active');
        for (const n of [...unknown, wrongModule, releasedInLedger, '+17735550401']) account.held.set(n, 'active');
        account.held.set(pendingNumber, 'purchase_pending');
        account.held.set('+16305560900', 'deleted'); // listed, but Telnyx says deleted: not a difference
        await ledger.settled();

        const deletes = account.carrier.seen('DELETE', /.*/).length;
        const r = await sys('POST', '/v1/carrier-reconciliations', { module: 'knm_telnyx' });
        expect(r.status).toBe(201);
        const [report] = r.body.data;
        const f = (kind: string, number: string, ledgerState: string, upstreamState: string, ledgerModule: string | null = 'knm_telnyx') =>
          ({ kind, number, module: 'knm_telnyx', ledgerModule, ledgerState, upstreamState });
        expect(report.findings).toEqual([
          f('broken_service', '+16305550010', 'in_service', 'absent'),
          f('broken_service', '+16305555000', 'in_service', 'absent'),
          f('broken_service', '+16305559999', 'in_service', 'absent'),
          f('paid_for_nothing', '+16305560001', 'absent', 'active', null),
          f('paid_for_nothing', '+16305560002', 'absent', 'active', null),
          f('paid_for_nothing', '+16305560003', 'absent', 'active', null),
          f('wrong_module', wrongModule, 'in_service', 'active', 'knm_inventory'),
          f('paid_for_nothing', releasedInLedger, 'aging', 'active'),
          f('pending_order', pendingNumber, 'discovery', 'purchase_pending'),
        ]);
        expect(report.counts).toMatchObject({ broken_service: 3, paid_for_nothing: 4, wrong_module: 1, pending_order: 1, upstream: 10_005 });
        expect(account.carrier.seen('DELETE', /.*/)).toHaveLength(deletes);
        expect(account.held.has(releasedInLedger)).toBe(true);

        const again = await sys('GET', `/v1/carrier-reconciliations/${report.id}`);
        expect(again.body).toMatchObject({ id: report.id, module: 'knm_telnyx', scope: 'system', status: 'completed', counts: report.counts, findings: report.findings });
        const rows = await ledger.runtime.stores.sql.query<{ n: string }>(`SELECT jsonb_array_length(findings) AS n FROM carrier_reconciliations WHERE id = $1`, [report.id]);
        expect(Number(rows.rows[0].n)).toBe(9);
        expect((await sys('GET', '/v1/carrier-reconciliations')).body.data.map((x: any) => x.id)).toContain(report.id);
        expect((await solo('POST', '/v1/carrier-reconciliations', {})).status).toBe(403);

        const fixed = await sys('POST', '/v1/carrier-reconciliations', { module: 'knm_telnyx', fix: ['disconnect_released_upstream'] });
        expect(fixed.body.data[0].fixes).toEqual([{ fix: 'disconnect_released_upstream', number: releasedInLedger, result: 'disconnected' }]);
        expect(account.held.has(releasedInLedger)).toBe(false);
        expect(account.held.has(unknown[0])).toBe(true);
        expect((await sys('POST', '/v1/carrier-reconciliations', { fix: ['delete_everything'] })).status).toBe(400);

        const background = await sys('POST', '/v1/carrier-reconciliations', { module: 'knm_telnyx', background: true });
        expect(background.status).toBe(202);
        expect(background.body.data[0]).toMatchObject({ status: 'running', progress: { upstreamSeen: expect.any(Number) } });
        let run = background.body.data[0];
        while (run.status === 'running') { // waits for the run's end, asserts nothing on time
          await new Promise((resolve) => setTimeout(resolve, 20));
          run = (await sys('GET', `/v1/carrier-reconciliations/${run.id}`)).body;
        }
        expect(run).toMatchObject({ status: 'completed', counts: { paid_for_nothing: 3, broken_service: 3, wrong_module: 1, pending_order: 1 } });
      }, 120_000);
    });

    describe('degradation and reseller settings', () => {
      it('reports a slow carrier in the answer instead of failing the search', async () => {
        await sys('PUT', '/v1/config/number-manager', { carrierModules: [...OPERATOR_MODULES, 'knm_telnyx', 'knm_other'] });
        expect((await sys('PUT', '/v1/config/carriers/knm_other', settingsFor('knm_other', other.url, { timeoutMs: 300 }))).status).toBe(200);
        // knm_other never answers: only its own 300 ms bound ends its part (reported as a timeout), not the whole search.
        const r = await search('prefix=3125550');
        expect(r.status).toBe(200);
        expect(r.body.carriers).toEqual(expect.arrayContaining([
          { module: 'knm_telnyx', status: 'ok' },
          { module: 'knm_other', status: 'timeout', error: expect.any(String) },
        ]));
        expect(numbersOf(r)).toEqual(expect.arrayContaining(['+13125550177', '+13125550150']));
        expect(other.seen('GET', '/numbers')).toHaveLength(1);
      });

      it('lets a reseller keep its own settings and module list, which its accounts then use', async () => {
        otherState.slow = false;
        const own = { baseUrl: other.url, credentials: { token: `res-${SECRET}` }, sandboxProvisioning: true };
        const put = await as('res')('PUT', '/v1/accounts/res/carriers/knm_other', own);
        expect(put.status).toBe(200);
        expect(put.body).toMatchObject({ scope: 'res', settings: { credentials: { token: '***' }, sandboxProvisioning: true } });
        expect((await cust('GET', '/v1/accounts/res/carriers/knm_other')).status).toBe(403);
        expect((await as('stranger')('PUT', '/v1/accounts/res/carriers/knm_other', own)).status).toBe(403);
        expect((await as('res')('PUT', '/v1/accounts/cust/carriers/knm_other', own)).status).toBe(400);
        const deprecated = await as('res')('PUT', '/v1/accounts/res/carriers', { enabledModules: ['knm_bandwidth'] });
        expect([deprecated.status, deprecated.body.detail]).toEqual([400, expect.stringContaining('knm_bandwidth2')]);
        expect((await as('res')('PUT', '/v1/accounts/res/carriers', { enabledModules: ['knm_other', 'knm_vitelity'] })).status).toBe(200);

        const effective = await cust('GET', '/v1/accounts/cust/carriers');
        expect(effective.body).toMatchObject({ reseller: 'res', enabledModules: ['knm_other'], refused: [{ module: 'knm_vitelity' }] });
        const r = await search('prefix=312555&quantity=10');
        expect(r.body.carriers).toEqual([
          { module: 'knm_other', status: 'ok' },
          { module: 'knm_vitelity', status: 'failed', error: expect.stringContaining('not enabled by the operator') },
        ]);
        expect(numbersOf(r)).toEqual(expect.arrayContaining(['+13125550300', '+13125550301', '+13125550150']));
        expect(r.body.data.find((n: { number: string }) => n.number === '+13125550301')?.upstream).toMatchObject({ locality: 'Bearer ***' });
        expect(numbersOf(r)).not.toContain('+13125550177');
        expect(other.seen('GET', '/numbers').at(-1)!.headers.authorization).toBe(`Bearer res-${SECRET}`);

        const acquired = await cust('POST', `/v1/numbers/${enc('+13125550300')}/acquire`, { accountId: 'cust' });
        expect(acquired.body).toMatchObject({ state: 'in_service', carrierModule: 'knm_other' });
        expect(other.seen('POST', /.*/)).toHaveLength(0);
      });

      it('lets a reseller reconcile its own carrier account against the numbers held below it, and nobody else', async () => {
        // The reseller's carrier also lists a number another tenant holds: no number of the reseller's, and its state is not shown.
        expect((await sys('POST', '/v1/numbers', { number: '+13125550398', state: 'in_service', carrierModule: 'knm_inventory', accountId: 'stranger' })).status).toBe(201);
        const r = await as('res')('POST', '/v1/carrier-reconciliations', { accountId: 'res' });
        expect(r.status).toBe(201);
        expect(r.body.data).toHaveLength(1);
        const [report] = r.body.data;
        expect(report).toMatchObject({ module: 'knm_other', scope: 'res', status: 'completed', counts: { upstream: 3, ledger: 1 } });
        expect(report.findings).toEqual([
          { kind: 'paid_for_nothing', number: '+13125550398', module: 'knm_other', ledgerModule: null, ledgerState: 'elsewhere', upstreamState: 'active' },
          { kind: 'paid_for_nothing', number: '+13125550399', module: 'knm_other', ledgerModule: null, ledgerState: 'absent', upstreamState: 'active' },
        ]);
        expect(other.seen('GET', '/held-numbers').at(-1)!.headers.authorization).toBe(`Bearer res-${SECRET}`);
        expect((await as('res')('GET', `/v1/carrier-reconciliations/${report.id}`)).body.id).toBe(report.id);
        expect((await as('res')('GET', '/v1/carrier-reconciliations')).body.data.map((x: any) => x.scope)).toEqual(['res']);
        expect((await as('stranger')('GET', `/v1/carrier-reconciliations/${report.id}`)).status).toBe(404);
        expect((await as('stranger')('POST', '/v1/carrier-reconciliations', { accountId: 'res' })).status).toBe(403);
        expect((await cust('POST', '/v1/carrier-reconciliations', { accountId: 'res' })).status).toBe(403);
        expect((await cust('POST', '/v1/carrier-reconciliations', { accountId: 'cust' })).body.code).toBe('validation_failed'); // not a reseller
        expect((await as('res')('POST', '/v1/carrier-reconciliations', {})).status).toBe(403);
      });

      it('keeps what a reseller\'s own carrier account found to its subtree until another account finds it, and buys it only through the finder (SPEC 12)', async () => {
        const offer = enc('+13125550301'); // found by the reseller's own account in the search above
        expect((await sys('GET', `/v1/numbers/${offer}`)).body).toMatchObject({ state: 'discovery', carrierModule: 'knm_other' });
        expect((await cust('GET', `/v1/numbers/${offer}`)).status).toBe(200);
        const stranger = as('stranger');
        const read = await stranger('GET', `/v1/numbers/${offer}`);
        const taken = await stranger('POST', `/v1/numbers/${offer}/acquire`, { accountId: 'stranger' });
        expect([read.status, taken.status]).toEqual([403, 403]);
        expect(JSON.stringify([read.body, taken.body])).not.toMatch(/res\b|cust/);
        // Not even the operator buys it for an account served by another carrier account: its carrier never offered it.
        const forStranger = await sys('POST', `/v1/numbers/${offer}/acquire`, { accountId: 'stranger' });
        expect([forStranger.status, forStranger.body.code]).toEqual([403, 'unauthorized']);
        expect(other.seen('POST', /.*/)).toHaveLength(0);
        expect((await sys('GET', `/v1/numbers/${offer}`)).body.state).toBe('discovery');

        // The operator's account offers the same number to the stranger's search: the last finder holds the offer.
        expect((await sys('PUT', '/v1/config/number-manager', { carrierModules: [...OPERATOR_MODULES, 'knm_telnyx', 'knm_other'] })).status).toBe(200);
        const searched = await stranger('GET', '/v1/numbers/search?prefix=312555&quantity=10');
        expect(searched.status).toBe(200);
        expect(searched.body.carriers).toEqual(expect.arrayContaining([{ module: 'knm_other', status: 'ok' }]));
        expect(other.seen('GET', '/numbers').at(-1)!.headers.authorization).not.toBe(`Bearer res-${SECRET}`);
        expect(numbersOf(searched)).toContain('+13125550301');
        expect((await stranger('GET', `/v1/numbers/${offer}`)).status).toBe(200);
        // Now the reseller's account would buy what the operator's found: refused for its customer, who may search again.
        const bought = await cust('POST', `/v1/numbers/${offer}/acquire`, { accountId: 'cust' });
        expect([bought.status, bought.body.detail]).toEqual([403, expect.stringMatching(/^you may not acquire \+13125550301 for cust/)]);
        expect(other.seen('POST', /.*/)).toHaveLength(0);
      });

      it('never shows a credential in API responses or in the captured logs', () => {
        expect(responses.length).toBeGreaterThan(30);
        expect(logs.lines.some((l) => l.includes('search response'))).toBe(true);
        expect(logs.lines.some((l) => l.includes('maintenance for Bearer ***'))).toBe(true);
        expect(responses.filter((r) => r.includes(LEAK))).toEqual([]);
        expect(logs.lines.filter((l) => l.includes(LEAK))).toEqual([]);
      });
    });
  });
}

export const startOn = (kind: StoreKind) => () => startLedger(kind);
