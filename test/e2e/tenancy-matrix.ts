import { LedgerHarness } from '../support/ledger-harness';
import { buildTenants, foreignIdsIn, Tenant, TENANTS, TenantWorld, VIEW } from './tenancy-fixture';

/**
 * SPEC 12 as a matrix: every route of /openapi.json, called by each of the
 * five tenants on every target outside its view (accounts, their numbers,
 * their audits and tasks). No answer names an account outside the caller's
 * view, and no number, account or service stream changes.
 */
interface Attempt { method: string; path: string; body?: unknown; raw?: string; contentType?: string }

export function describeTenancyMatrix(name: string, start: () => Promise<LedgerHarness>): void {
  describe(`tenancy matrix (${name})`, () => {
    let ledger: LedgerHarness;
    let w: TenantWorld;
    const audits = {} as Record<Tenant, string>;
    const tasks = {} as Record<Tenant, string>;
    let routes: Array<{ method: string; path: string }> = [];
    const enc = encodeURIComponent;

    const streams = async (): Promise<Record<string, number>> => {
      const r = await ledger.runtime.stores.sql.query<{ stream_id: string; n: number }>(
        `SELECT stream_id, count(*)::int AS n FROM ledger_events
         WHERE stream_id LIKE 'number-%' OR stream_id LIKE 'account-%' OR stream_id LIKE 'service-%' OR stream_id LIKE 'config-carriers-%'
         GROUP BY stream_id`,
      );
      return Object.fromEntries(r.rows.map((row) => [row.stream_id, row.n]));
    };

    beforeAll(async () => {
      ledger = await start();
      w = await buildTenants(ledger, '+1303555');
      const doc = (await ledger.call('GET', '/openapi.json', { key: null })).body;
      routes = Object.entries<Record<string, unknown>>(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => ({ method: m.toUpperCase(), path })));
      for (const t of TENANTS) {
        const sys = (method: string, path: string, body?: unknown) => ledger.call(method, path, { body });
        expect((await sys('PUT', `/v1/accounts/${t}/services/device/desk`, { numbers: [w.numbers[t].held] })).status).toBe(200);
        audits[t] = (await sys('POST', '/v1/audits', { accountId: t, level: 'customer' })).body.id;
        const task = await ledger.call('POST', '/v1/tasks?action=list', { key: w.keys[t] });
        expect(task.status).toBe(202);
        tasks[t] = task.body.id;
      }
      await ledger.settled();
    }, 120_000); // five tenants and their numbers: slow on a busy machine
    afterAll(async () => ledger?.close());

    /** Every way `caller` can point a route at `target`. */
    function attempts(route: { method: string; path: string }, caller: Tenant, target: Tenant): Attempt[] {
      const n = w.numbers[target];
      const targetNumbers = [n.held, n.reserved, n.pool];
      const fill = (number: string) => route.path
        .replace('{id}', route.path.startsWith('/v1/audits') ? audits[target] : route.path.startsWith('/v1/tasks') ? tasks[target] : target)
        .replace('{number}', enc(number)).replace('{module}', 'knm_telnyx').replace('{action}', 'reserve')
        .replace('{type}', 'device').replace('{serviceId}', 'desk');
      if (route.path.includes('{number}')) {
        if (route.method === 'GET') return targetNumbers.map((num) => ({ method: 'GET', path: fill(num) }));
        const bodies = /reserve|acquire|port-in/.test(route.path) ? [{ accountId: caller }, { accountId: target }] : [{}];
        return targetNumbers.flatMap((num) => bodies.map((body) => ({ method: route.method, path: fill(num), body })));
      }
      if (route.method === 'GET' || route.method === 'DELETE') {
        if (route.path === '/v1/numbers') return [`?assignedTo=${target}`, `?prefix=${enc(n.held)}`].map((q) => ({ method: 'GET', path: `/v1/numbers${q}` }));
        if (route.path === '/v1/numbers/search') return [{ method: 'GET', path: `/v1/numbers/search?prefix=303555&accountId=${target}` }];
        return [{ method: route.method, path: fill('') }];
      }
      const one = (body: unknown): Attempt[] => [{ method: route.method, path: fill(''), body }];
      switch (route.path) {
        case '/v1/tasks':
          return ['reserve', 'release'].map((action) => ({
            method: 'POST', path: `/v1/tasks?action=${action}`, contentType: 'text/csv', raw: `e164,account_id\n${targetNumbers.map((x) => `${x},${caller}`).join('\n')}\n`,
          }));
        case '/v1/accounts': return one({ id: `${caller}-sub`, name: 'x', parentId: target });
        case '/v1/accounts/{id}/keys': return one({ name: 'x' });
        case '/v1/accounts/{id}/carriers': return one({ enabledModules: ['knm_telnyx'] });
        case '/v1/numbers/generate': return one({ carrierModule: 'knm_managed', accountId: target, start: n.held, count: 1 });
        case '/v1/numbers/collection/{action}':
          return [...one({ numbers: targetNumbers, accountId: caller }), ...one({ numbers: [w.free[caller]], accountId: target })];
        case '/v1/numbers': return [...one({ number: n.held, accountId: caller }), ...one({ number: w.free[caller], accountId: target, state: 'in_service' })];
        case '/v1/mdn-numbers': return one({ number: n.held, accountId: caller });
        case '/v1/audits': return one({ accountId: target, level: 'customer' });
        case '/v1/accounts/{id}/services/{type}/{serviceId}': return one({ numbers: targetNumbers });
        default: return one({});
      }
    }

    it('answers no foreign caller with a foreign account id, and changes no foreign state', async () => {
      const before = await streams();
      const leaks: string[] = [];
      let calls = 0;
      // every (caller, target) pair in parallel: all of them are refusals, none depends on another
      await Promise.all(TENANTS.map(async (caller) => {
        const targets = TENANTS.filter((t) => !VIEW[caller].includes(t));
        await Promise.all(targets.map(async (target) => {
          for (const route of routes) {
            for (const a of attempts(route, caller, target)) {
              const headers: Record<string, string> = a.contentType ? { 'content-type': a.contentType } : {};
              const r = await ledger.call(a.method, a.path, { key: w.keys[caller], body: a.body, raw: a.raw, headers });
              calls++;
              if (r.status >= 500) leaks.push(`${caller} ${a.method} ${a.path}: ${r.status}`);
              const text = `${JSON.stringify(r.body)} ${JSON.stringify([...r.headers.entries()])}`;
              const named = foreignIdsIn(text, caller);
              if (named.length > 0) leaks.push(`${caller} ${a.method} ${a.path} ${JSON.stringify(a.body ?? '')}: ${r.status} names ${named.join(',')}: ${text.slice(0, 300)}`);
            }
          }
        }));
        for (const target of targets) {
          const output = await ledger.call('GET', `/v1/tasks/${tasks[caller]}/output`, { key: w.keys[caller] });
          const named = foreignIdsIn(String(JSON.stringify(output.body)), caller).filter((t) => t === target);
          if (named.length > 0) leaks.push(`${caller} task output names ${named.join(',')}`);
        }
      }));
      expect(calls).toBeGreaterThan(1000);
      expect(leaks).toEqual([]);
      await ledger.settled();
      const after = await streams();
      const changed = Object.keys({ ...before, ...after }).filter((s) => before[s] !== after[s]);
      expect(changed).toEqual([]);
    }, 120_000);

    it('every number view, history, list and audit answer to an owner stays inside its view', async () => {
      const leaks: string[] = [];
      for (const caller of TENANTS) {
        const mine = VIEW[caller].flatMap((t) => [w.numbers[t].held, w.numbers[t].reserved, w.numbers[t].pool]);
        const paths = [
          ...mine.flatMap((x) => [`/v1/numbers/${enc(x)}`, `/v1/numbers/${enc(x)}/history`]),
          `/v1/accounts/${caller}/numbers`, `/v1/numbers?limit=1000`, `/v1/audits/${audits[caller]}`, `/v1/accounts/${caller}`,
          `/v1/accounts/${caller}/services`, `/v1/tasks/${tasks[caller]}/output`, `/v1/accounts/${caller}/quantities.csv`,
        ];
        for (const p of paths) {
          const r = await ledger.call('GET', p, { key: w.keys[caller] });
          const named = foreignIdsIn(JSON.stringify(r.body), caller);
          if (named.length > 0) leaks.push(`${caller} GET ${p}: ${r.status} names ${named.join(',')}`);
        }
      }
      expect(leaks).toEqual([]);
    });
  });
}
