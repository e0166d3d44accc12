import { testDatabaseUrl } from '@ledger/sql/test/test-database';
import { LedgerHarness, startLedger } from '../support/ledger-harness';

/** A bound on starting the service on a busy machine, not an expected duration. */
const START_LIMIT_MS = 180_000;

/** SPEC 6: billing as of an instant follows the configuration then in force; a later change of billInventoryNumbers does not rewrite the past. */
const STORES: Array<[string, 'pglite' | 'postgres']> = [['embedded PGlite', 'pglite'], ...(testDatabaseUrl ? [['PostgreSQL', 'postgres'] as [string, 'postgres']] : [])];

describe.each(STORES)('billing with the configuration in force (%s)', (_name, kind) => {
  let ledger: LedgerHarness;
  const pause = () => new Promise((r) => setTimeout(r, 15));
  const ok = async (method: string, path: string, body?: unknown) => {
    const r = await ledger.call(method, path, { body });
    expect([r.status, r.body?.detail]).toEqual([r.status < 300 ? r.status : 200, r.body?.detail]);
    return r.body;
  };
  const head = async () => {
    await ledger.settled();
    return ledger.runtime.stores.events.headPosition();
  };
  const quantities = async (asOf?: string) =>
    ok('GET', `/v1/accounts/inv/quantities?minPosition=${await head()}${asOf ? `&asOf=${asOf}` : ''}`);
  const numberDays = async (from: string, to: string) => ok('GET', `/v1/accounts/inv/number-days?from=${from}&to=${to}&minPosition=${await head()}`);
  /** A configuration change, and the instants just before and just after it. */
  const billInventory = async (on: boolean) => {
    await pause();
    const before = new Date().toISOString();
    await pause();
    await ok('PUT', '/v1/config/number-manager', { billInventoryNumbers: on });
    await pause();
    return { before, after: new Date().toISOString() };
  };

  beforeAll(async () => {
    ledger = await startLedger(kind);
    await ok('POST', '/v1/accounts', { id: 'inv', name: 'Inventory customer' });
  }, START_LIMIT_MS);
  afterAll(async () => ledger?.close());

  it('keeps quantities and number-days before a change of billInventoryNumbers as they were', async () => {
    const start = new Date(Date.now() - 60_000).toISOString();
    await ok('POST', '/v1/numbers', { number: '+19175550300', carrierModule: 'knm_inventory', accountId: 'inv' });
    const on = await billInventory(true);
    const whileBilled = await quantities(on.after);
    const off = await billInventory(false);

    // Not billed before the first change, billed between the changes, not billed now; counted by carrier throughout.
    expect((await quantities(on.before)).phone_numbers).toEqual({});
    expect(await quantities(on.after)).toEqual(whileBilled);
    expect(whileBilled.phone_numbers).toEqual({ did_us: 1 });
    expect((await quantities(off.before)).phone_numbers).toEqual({ did_us: 1 });
    expect((await quantities(off.after)).phone_numbers).toEqual({});
    expect((await quantities()).phone_numbers).toEqual({});
    expect((await quantities(on.before)).number_carriers).toEqual({ knm_inventory: 1 });

    // Number-days: only the part of the period when inventory numbers were billed counts as phone numbers.
    const beforeOn = await numberDays(start, on.before);
    expect(beforeOn.phone_numbers).toEqual({});
    expect(beforeOn.number_carriers.knm_inventory).toBeGreaterThan(0);
    const whole = await numberDays(start, off.after);
    const billedPart = await numberDays(on.before, off.after);
    expect(whole.phone_numbers.did_us).toBeGreaterThan(0);
    expect(whole.phone_numbers.did_us).toBeCloseTo(billedPart.phone_numbers.did_us, 9);
    expect(whole.phone_numbers.did_us).toBeLessThan(whole.number_carriers.knm_inventory);

    // A later change again leaves all of that as it was.
    await billInventory(true);
    expect(await quantities(on.after)).toEqual(whileBilled);
    expect((await quantities(off.after)).phone_numbers).toEqual({});
    expect(await numberDays(start, off.after)).toEqual(whole);
    expect((await quantities()).phone_numbers).toEqual({ did_us: 1 });
  });
});
