import { classify, foldNumber, isBillable, defaultConfig } from '@ledger/domain';
import { NumberCommand, NumberEvent } from '@ledger/domain/types';
import { RecordedEvent, START } from '@ledger/event-store/port';
import { BillingProjection } from '@ledger/projections/billing/projection';
import { backfillBillingDeltasSql } from '@ledger/projections/billing/billing-deltas';
import { Projector } from '@ledger/projections/projector';
import { LedgerHarness } from '../support/ledger-harness';

type Quantities = { phone_numbers: Record<string, number>; number_services: Record<string, number>; number_carriers: Record<string, number> };

/** Billing quantities (SPEC 6) over HTTP: now, as of past instants, number-days, cascade, CSV, and a replay check. */
export function describeBillingScenarios(name: string, start: () => Promise<LedgerHarness>): void {
  describe(`billing over HTTP (${name})`, () => {
    let ledger: LedgerHarness;
    let seq = 0;
    const fresh = (area = '917') => `+1${area}${String(2000000 + ++seq * 11).padStart(7, '0')}`;
    const enc = encodeURIComponent;
    const call = (method: string, path: string, body?: unknown) => ledger.call(method, path, { body });
    const ok = async (method: string, path: string, body?: unknown) => {
      const r = await call(method, path, body);
      expect([r.status, r.body?.detail]).toEqual([r.status < 300 ? r.status : 200, r.body?.detail]);
      return r;
    };
    /** The head of the log once everything appended is readable and projected. */
    const head = async () => {
      await ledger.settled();
      return ledger.runtime.stores.events.headPosition();
    };
    const quantities = async (account: string, query = '') =>
      (await call('GET', `/v1/accounts/${account}/quantities?minPosition=${await head()}${query}`)).body;
    const pause = () => new Promise((r) => setTimeout(r, 15));

    beforeAll(async () => {
      ledger = await start();
      for (const a of [
        { id: 'bres', name: 'Reseller', reseller: true },
        { id: 'bcust', name: 'Customer', parentId: 'bres' },
        { id: 'bsite', name: 'Site', parentId: 'bcust' },
        { id: 'bdays', name: 'Number-days', parentId: 'bres' },
      ]) await ok('POST', '/v1/accounts', a);
    });

    afterAll(async () => ledger?.close());

    it('counts billable numbers by classification, features and carriers; local and mdn numbers are not billed', async () => {
      const [did, tollfree, local, mdn] = [fresh(), fresh('800'), fresh(), fresh()];
      await ok('POST', '/v1/numbers', { number: did, carrierModule: 'knm_managed', accountId: 'bcust' });
      await ok('POST', '/v1/numbers', { number: tollfree, carrierModule: 'knm_managed', state: 'reserved', accountId: 'bcust' });
      await ok('POST', '/v1/numbers', { number: local, carrierModule: 'knm_local', accountId: 'bcust' });
      await ok('POST', '/v1/mdn-numbers', { number: mdn, accountId: 'bcust' });
      await ok('PATCH', `/v1/numbers/${enc(did)}/features`, { e911: { street_address: '1 Main St' }, prepend: { name: 'sales' } });
      await ok('PATCH', `/v1/numbers/${enc(local)}/features`, { prepend: { name: 'front' } });
      const q = await quantities('bcust');
      expect(q).toMatchObject({ accountId: 'bcust', cascade: false });
      expect(q.phone_numbers).toEqual({ did_us: 1, tollfree_us: 1 });
      expect(q.number_services).toEqual({ e911: 1, prepend: 2 });
      expect(q.number_carriers).toEqual({ knm_managed: 2, knm_local: 1, knm_mdn: 1 });
    });

    it('sums the subtree for a reseller (cascade) and lists every account in the CSV', async () => {
      await ok('POST', '/v1/numbers', { number: fresh(), carrierModule: 'knm_managed', accountId: 'bsite' });
      const own = await quantities('bres');
      expect(own.phone_numbers).toEqual({});
      const cust = await quantities('bcust');
      const site = await quantities('bsite');
      const cascade = await quantities('bres', '&cascade=true');
      expect(cascade.phone_numbers).toEqual({ did_us: cust.phone_numbers.did_us + site.phone_numbers.did_us, tollfree_us: 1 });
      expect(cascade.number_carriers.knm_managed).toBe(cust.number_carriers.knm_managed + site.number_carriers.knm_managed);
      const csv = await call('GET', `/v1/accounts/bres/quantities.csv?cascade=true`);
      expect(csv.status).toBe(200);
      expect(csv.headers.get('content-type')).toContain('text/csv');
      const lines = String(csv.body).trim().split('\n');
      expect(lines[0]).toBe('account_id,as_of,category,item,quantity');
      expect(lines).toContainEqual(expect.stringMatching(/^bres,[^,]+,phone_numbers,did_us,2$/));
      expect(lines).toContainEqual(expect.stringMatching(/^bcust,[^,]+,phone_numbers,did_us,2$/));
      expect(lines).toContainEqual(expect.stringMatching(/^bsite,[^,]+,phone_numbers,did_us,1$/));
      expect(lines.filter((l) => l.startsWith('bdays,'))).toEqual([]);
    });

    it('answers as of instants before and after changes', async () => {
      const n = fresh();
      const before = new Date().toISOString();
      await pause();
      await ok('POST', '/v1/numbers', { number: n, carrierModule: 'knm_managed', accountId: 'bdays' });
      await pause();
      const held = new Date().toISOString();
      await pause();
      await ok('POST', `/v1/numbers/${enc(n)}/release`, {});
      await pause();
      expect((await quantities('bdays', `&asOf=${before}`)).phone_numbers).toEqual({});
      expect((await quantities('bdays', `&asOf=${held}`)).phone_numbers).toEqual({ did_us: 1 });
      expect((await quantities('bdays')).phone_numbers).toEqual({});
      expect((await call('GET', '/v1/accounts/bdays/quantities?asOf=yesterday')).status).toBe(400);
    });

    it('counts number-days over a period spanning an acquisition and a release', async () => {
      const n = fresh();
      await ok('POST', '/v1/numbers', { number: n, carrierModule: 'knm_managed', state: 'available', accountId: 'bdays' });
      const from = new Date(Date.now() - 86_400_000).toISOString();
      await ok('POST', `/v1/numbers/${enc(n)}/acquire`, { accountId: 'bdays' });
      await pause();
      await ok('POST', `/v1/numbers/${enc(n)}/release`, {});
      const to = new Date(Date.now() + 86_400_000).toISOString();
      const events = (await call('GET', `/v1/numbers/${enc(n)}/history`)).body.data as any[];
      const acquired = Date.parse(events.find((e) => e.type === 'NumberAcquired.v1').recordedAt);
      const released = Date.parse(events.find((e) => e.type === 'NumberReleased.v1').recordedAt);
      const r = await call('GET', `/v1/accounts/bdays/number-days?from=${from}&to=${to}&minPosition=${await head()}`);
      expect(r.status).toBe(200);
      expect(r.body.unit).toBe('number-days');
      // The number of the previous test was held for a while in this account too.
      const earlier = await call('GET', `/v1/accounts/bdays/number-days?from=${from}&to=${new Date(acquired - 1).toISOString()}`);
      expect(released).toBeGreaterThan(acquired);
      expect(r.body.phone_numbers.did_us - earlier.body.phone_numbers.did_us).toBeCloseTo((released - acquired) / 86_400_000, 9);
      expect((await call('GET', `/v1/accounts/bdays/number-days?from=${to}&to=${from}`)).status).toBe(400);
    });

    it('agrees with a replay of a randomized history of thousands of events', async () => {
      const accounts = ['rr', 'rr1', 'rr2', 'rr11'];
      for (const [id, parentId] of [['rr', 'bres'], ['rr1', 'rr'], ['rr2', 'rr'], ['rr11', 'rr1']]) {
        await ok('POST', '/v1/accounts', { id, name: id, parentId });
      }
      const startedAt = await head();
      const random = seeded(20240601);
      const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
      const pool = Array.from({ length: 120 }, (_, i) => (i % 10 === 0 ? fresh('888') : i % 17 === 0 ? fresh('809') : fresh()));
      const modules = ['knm_managed', 'knm_managed', 'knm_local', 'knm_inventory', 'knm_inum'] as const;
      const system = { requester: { accountId: 'system', isSystem: true } };
      const commands: Array<() => NumberCommand> = [
        () => ({ type: 'AddNumber', carrierModule: pick(modules), state: pick(['in_service', 'reserved', 'available'] as const), accountId: pick(accounts) }),
        () => ({ type: 'ReserveNumber', accountId: pick(accounts) }),
        () => ({ type: 'AcquireNumber', accountId: pick(accounts) }),
        () => ({ type: 'ReleaseNumber' }),
        () => ({ type: 'AgeNumber', force: true }),
        () => ({ type: 'SetFeatures', changes: { e911: random() < 0.5 ? { street_address: '2 Side St' } : null, prepend: random() < 0.5 ? { name: 'p' } : null } }),
        () => ({ type: 'PortIn', accountId: pick(accounts) }),
        () => ({ type: 'DeleteNumber' }),
      ];
      const instants: string[] = [];
      let appended = 0;
      for (let i = 0; appended < 2000; i++) {
        try {
          appended += (await ledger.runtime.runner.run(pick(pool), pick(commands)(), system)).events.length;
        } catch {
          // refused decisions append nothing
        }
        if (i % 300 === 0) instants.push(new Date().toISOString());
      }
      instants.push(new Date().toISOString());

      const history = await numberEventsAfter(startedAt);
      const billable = (m: string) => isBillable(m as any, defaultConfig());
      for (const at of instants) {
        const expected = replayAsOf(history, new Date(at), billable);
        for (const a of accounts) {
          const got = await quantities(a, `&asOf=${at}`);
          expect({ a, at, ...pick3(got) }).toEqual({ a, at, ...(expected.get(a) ?? emptyQ()) });
        }
        const cascade = await quantities('rr', `&asOf=${at}&cascade=true`);
        expect(pick3(cascade)).toEqual(sum(accounts.map((a) => expected.get(a) ?? emptyQ())));
      }
      const from = new Date(Date.parse(instants[1]) - 1).toISOString();
      const to = new Date(Date.parse(instants[instants.length - 1]) + 3_600_000).toISOString();
      const days = replayNumberDays(history, new Date(from), new Date(to), billable);
      for (const a of accounts) {
        const got = (await call('GET', `/v1/accounts/${a}/number-days?from=${from}&to=${to}`)).body;
        for (const [classification, d] of Object.entries(days.get(a) ?? {})) expect(got.phone_numbers[classification]).toBeCloseTo(d, 6);
        expect(Object.keys(got.phone_numbers).sort()).toEqual(Object.keys(days.get(a) ?? {}).sort());
      }
    }, 240_000);

    it('keeps running totals that follow the spans whatever the batches and however the instants interleave', async () => {
      const { sql, events } = ledger.runtime.stores;
      const random = seeded(77);
      // Each number's instants shifted by up to ±0.2 s: later log positions often carry earlier instants
      // (as with concurrent writers), while each number's own events stay in order.
      const shift = new Map<string, number>();
      const shifted = (e: RecordedEvent) => shift.get(e.streamId) ?? shift.set(e.streamId, Math.round((random() - 0.5) * 400)).get(e.streamId)!;
      const history = (await numberEventsAfter(START)).map((e) => ({ ...e, recordedAt: new Date(e.recordedAt.getTime() + shifted(e)) }));
      const deltas = async (schema: string) => (await sql.query(`SELECT * FROM ${schema}.billing_deltas ORDER BY account_id, item_kind, item, carrier_module, at`)).rows;
      const replayInto = async (schema: string, batchSize: () => number) => {
        await sql.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        const projector = new Projector(events, sql, [new BillingProjection()], { schema });
        await projector.migrate();
        for (let i = 0; i < history.length;) {
          const size = batchSize();
          await projector.applyBatch(history.slice(i, i + size));
          i += size;
        }
      };
      try {
        await replayInto('billing_one_batch', () => history.length);
        await replayInto('billing_small_batches', () => 1 + Math.floor(random() * 40));
        const once = await deltas('billing_one_batch');
        expect(once.length).toBeGreaterThan(100);
        expect(await deltas('billing_small_batches')).toEqual(once);
        // The same rows as derived from the spans in one query.
        await sql.exec(`TRUNCATE billing_small_batches.billing_deltas; ${backfillBillingDeltasSql('billing_small_batches')}`);
        expect(await deltas('billing_small_batches')).toEqual(once);
      } finally {
        await sql.exec('DROP SCHEMA IF EXISTS billing_one_batch CASCADE; DROP SCHEMA IF EXISTS billing_small_batches CASCADE');
      }
    }, 120_000);

    it('rebuilds the same billing tables from zero', async () => {
      const { sql } = ledger.runtime.stores;
      const s = ledger.runtime.projector.schema;
      const snapshot = async () => ({
        intervals: (await sql.query(`SELECT * FROM ${s}.billing_intervals ORDER BY number, valid_from`)).rows,
        deltas: (await sql.query(`SELECT * FROM ${s}.billing_deltas ORDER BY account_id, item_kind, item, carrier_module, at`)).rows,
      });
      await ledger.settled();
      const before = await snapshot();
      expect(before.deltas.length).toBeGreaterThan(100);
      await ledger.runtime.projector.stop();
      await ledger.runtime.projector.reset();
      await ledger.runtime.projector.catchUp();
      ledger.runtime.projector.start();
      expect(await snapshot()).toEqual(before);
    }, 120_000);

    async function numberEventsAfter(after: string): Promise<RecordedEvent[]> {
      await ledger.settled();
      const all: RecordedEvent[] = [];
      for (let position = after ?? START; ;) {
        const batch = await ledger.runtime.stores.events.readAll(position, 1000, { streamPrefixes: ['number-'] });
        if (batch.length === 0) return all;
        all.push(...batch);
        position = batch[batch.length - 1].position;
      }
    }
  });
}

const emptyQ = (): Quantities => ({ phone_numbers: {}, number_services: {}, number_carriers: {} });
const pick3 = (q: any): Quantities => ({ phone_numbers: q.phone_numbers, number_services: q.number_services, number_carriers: q.number_carriers });
const inc = (o: Record<string, number>, k: string, n = 1) => { o[k] = (o[k] ?? 0) + n; };
const HELD = ['reserved', 'in_service', 'port_in'];

function sum(all: Quantities[]): Quantities {
  const total = emptyQ();
  for (const q of all) for (const k of Object.keys(total) as Array<keyof Quantities>) for (const [i, n] of Object.entries(q[k])) inc(total[k], i, n);
  return total;
}

function byStream(history: RecordedEvent[]): Map<string, RecordedEvent[]> {
  const streams = new Map<string, RecordedEvent[]>();
  for (const e of history) streams.set(e.streamId, [...(streams.get(e.streamId) ?? []), e]);
  return streams;
}

const asNumberEvents = (events: RecordedEvent[]) => events.map((e) => ({ type: e.type, ...e.data }) as NumberEvent);

/** The replay: every number folded from its events recorded at or before `at`, counted as SPEC 6 says. */
function replayAsOf(history: RecordedEvent[], at: Date, billable: (m: string) => boolean): Map<string, Quantities> {
  const result = new Map<string, Quantities>();
  for (const [streamId, events] of byStream(history)) {
    const r = foldNumber(streamId.slice('number-'.length), asNumberEvents(events.filter((e) => e.recordedAt.getTime() <= at.getTime())));
    if (!r.exists || !HELD.includes(r.state) || !r.assignedTo) continue;
    const q = result.get(r.assignedTo) ?? emptyQ();
    result.set(r.assignedTo, q);
    if (billable(r.carrierModule)) inc(q.phone_numbers, classify(r.number));
    for (const [f, v] of Object.entries(r.features)) if (v != null) inc(q.number_services, f);
    inc(q.number_carriers, r.carrierModule);
  }
  return result;
}

/** Number-days per account and classification: each state holds from its event until the next (or `to`). */
function replayNumberDays(history: RecordedEvent[], from: Date, to: Date, billable: (m: string) => boolean): Map<string, Record<string, number>> {
  const result = new Map<string, Record<string, number>>();
  for (const [streamId, events] of byStream(history)) {
    for (let i = 0; i < events.length; i++) {
      const r = foldNumber(streamId.slice('number-'.length), asNumberEvents(events.slice(0, i + 1)));
      if (!r.exists || !HELD.includes(r.state) || !r.assignedTo || !billable(r.carrierModule)) continue;
      const begin = Math.max(events[i].recordedAt.getTime(), from.getTime());
      const end = Math.min(i + 1 < events.length ? events[i + 1].recordedAt.getTime() : to.getTime(), to.getTime());
      if (end <= begin) continue;
      const days = result.get(r.assignedTo) ?? {};
      result.set(r.assignedTo, days);
      inc(days, classify(r.number), (end - begin) / 86_400_000);
    }
  }
  return result;
}

/** A small deterministic generator (mulberry32), so a failure can be replayed. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
