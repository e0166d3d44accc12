import { Client } from 'pg';
import { testDatabaseUrl } from '../../libs/sql/src/test-database';
import { LedgerHarness, StoreKind, startLedger } from '../support/ledger-harness';

/**
 * The connection between the projector and the event store dies while commands
 * keep coming: commands either succeed or fail whole (503), and once the projector
 * is back the read models equal a rebuild from position zero.
 */
const faults: Array<[StoreKind, string, (ledger: LedgerHarness) => Promise<void>]> = [
  ['esdb', 'EventStoreDB connections dropped', async (ledger) => ledger.esdb!.dropConnections()],
  ['postgres', 'PostgreSQL backends terminated', async (ledger) => terminateBackends(ledger)],
];

async function terminateBackends(ledger: LedgerHarness): Promise<void> {
  const url = (ledger.runtime.settings.databaseUrl)!;
  const admin = new Client({ connectionString: url });
  await admin.connect();
  await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
  await admin.end();
}

const run = testDatabaseUrl ? describe : describe.skip;

run.each(faults)('projection after a store fault (%s)', (kind, label, injectFault) => {
  let ledger: LedgerHarness;
  beforeAll(async () => {
    ledger = await startLedger(kind);
  });
  afterAll(async () => ledger?.close());

  it(`ends identical to a rebuild from zero: ${label}`, async () => {
    const sys = (method: string, path: string, body?: unknown) => ledger.call(method, path, { body });
    expect((await sys('POST', '/v1/accounts', { id: 'acme', name: 'Acme' })).status).toBe(201);
    const statuses: number[] = [];
    const writer = async (w: number) => {
      for (let i = 0; i < 40; i++) {
        const n = `+1720555${String(w * 100 + i).padStart(4, '0')}`;
        const added = await sys('POST', '/v1/numbers', { number: n, state: 'available', carrierModule: 'knm_inventory' });
        statuses.push(added.status);
        if (added.status === 201) statuses.push((await sys('POST', `/v1/numbers/${n}/acquire`, { accountId: 'acme' })).status);
      }
    };
    const writers = Promise.all([0, 1, 2, 3].map(writer));
    await new Promise((r) => setTimeout(r, 150));
    await injectFault(ledger);
    await new Promise((r) => setTimeout(r, 150));
    await injectFault(ledger);
    await writers;

    // Commands either took effect or were refused whole: never a 500.
    expect(statuses.every((s) => [200, 201, 503, 409].includes(s))).toBe(true);
    expect(statuses.filter((s) => s === 200 || s === 201).length).toBeGreaterThan(100);

    const { projector, stores } = ledger.runtime;
    await retry(() => ledger.settled());
    const head = await stores.events.headPosition();
    const snapshot = async () => ({
      inventory: (await stores.sql.query('SELECT * FROM inventory ORDER BY number')).rows,
      accounts: (await stores.sql.query('SELECT * FROM accounts ORDER BY id')).rows,
    });
    const live = await snapshot();
    // Every number whose add succeeded is in the inventory with its latest state.
    const listed = await sys('GET', `/v1/numbers?prefix=%2B1720555&limit=1000&minPosition=${head}`);
    const listedNumbers = listed.body.data.map((x: any) => x.number);
    expect(live.inventory.filter((r: any) => r.number.startsWith("+1720555") && !listedNumbers.includes(r.number))).toEqual([]);

    await projector.stop();
    await projector.reset();
    await projector.catchUp();
    projector.start();
    expect(await snapshot()).toEqual(live);
  });
});

async function retry<T>(work: () => Promise<T>): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await work();
    } catch (err) {
      if (i > 50) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
