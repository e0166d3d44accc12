import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { runCli } from '../../apps/ledger-cli/src/cli';
import { CliIo, silentProgress } from '../../apps/ledger-cli/src/cli-io';
import { ACCOUNT_EVENT_TYPES, accountStreamId } from '@ledger/domain/account/events';
import { comparePositions } from '@ledger/event-store/port';
import { LEDGER_STREAM_PREFIXES } from '@ledger/projections/projection';
import { ProjectionFailure } from '@ledger/projections/projection-failure';
import { EventCounts } from '@ledger/projections/test/event-counts';
import { registerUpcaster } from '@ledger/projections/upcasters';
import { testDatabaseUrl } from '@ledger/sql/test/test-database';
import { LedgerHarness, StoreKind, startLedger } from '../support/ledger-harness';
import { createHome, LedgerHome, RunningLedger, startService, StoreKind as TasksStoreKind } from './tasks-harness';

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
    expect(statuses.filter((s) => ![200, 201, 503, 409].includes(s))).toEqual([]);
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

/**
 * An event that one projection cannot apply (here an AccountCreated whose maxBillableNumbers
 * the accounts table cannot hold), written straight to the log as an old version or a bug
 * might have: only the accounts projection stops, at that event; everything else goes on,
 * across restarts; /ready, /metrics, `verify` and `rebuild-projections` name it; an upcaster
 * registered for the event type is the way out.
 */
// Starting an embedded store takes long on a busy machine: bounds, not assertions.
jest.setTimeout(300_000);

const kinds: TasksStoreKind[] = testDatabaseUrl ? ['pglite', 'postgres'] : ['pglite'];

describe.each(kinds)('an event a projection cannot apply (%s)', (kind) => {
  let home: LedgerHome;
  let env: NodeJS.ProcessEnv;
  let bad: { id: string; position: string };

  beforeAll(async () => {
    home = await createHome(kind);
    env = { LEDGER_DATA_DIR: home.dataDir, LEDGER_SYSTEM_KEY: home.settings.systemKey!, ...(home.databaseUrl ? { DATABASE_URL: home.databaseUrl } : {}) };
  });
  afterAll(async () => home?.remove());

  const addNumber = async (ledger: RunningLedger, number: string) => {
    const r = await ledger.call('POST', '/v1/numbers', { body: { number, state: 'available', carrierModule: 'knm_inventory' } });
    expect(r.status).toBe(201);
    return r.headers.get('x-ledger-position')!;
  };
  const listed = async (ledger: RunningLedger, minPosition: string) => {
    await caughtUp(ledger, minPosition, ['inventory']);
    const r = await ledger.call('GET', `/v1/numbers?prefix=%2B1303555&limit=100&minPosition=${minPosition}`);
    expect(r.status).toBe(200);
    return r.body.data.map((n: { number: string }) => n.number);
  };
  const cli = async (...argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l), progress: () => silentProgress };
    const code = await runCli(argv, io, env);
    return { code, text: [...out, ...err].join('\n') };
  };

  it('stops that projection alone, names it in /ready and /metrics, and the others keep going', async () => {
    const ledger = await startService(home);
    try {
      expect((await ledger.call('POST', '/v1/accounts', { body: { id: 'acme', name: 'Acme' } })).status).toBe(201);
      await addNumber(ledger, '+13035550001');
      const id = randomUUID();
      const appended = await ledger.runtime.stores.events.append(
        accountStreamId('huge'),
        [{ id, type: ACCOUNT_EVENT_TYPES.AccountCreated, data: hugeAccount(), metadata: { actor: 'system', command: 'CreateAccount' } }],
        'no_stream',
      );
      bad = { id, position: appended.position };
      const after = await addNumber(ledger, '+13035550002');

      // Inventory went past the event: the number added after it is listed.
      expect(await listed(ledger, after)).toEqual(['+13035550001', '+13035550002']);

      // A query on the accounts projection answers 503 at once, naming it and where it stopped.
      const billing = await ledger.call('GET', `/v1/accounts/acme/quantities?minPosition=${after}`);
      expect(billing.status).toBe(503);
      expect(billing.headers.get('content-type')).toContain('application/problem+json');
      expect(billing.body.failing).toEqual([{ projection: 'accounts', position: bad.position }]);

      await expectReadyNamesTheEvent(ledger);
      const metrics = (await ledger.call('GET', '/metrics')).body as string;
      expect(metrics).toMatch(/ledger_projection_failing\{projection="accounts"\} 1/);
      expect(metrics).toMatch(/ledger_projection_failing\{projection="inventory"\} 0/);
      expect(metrics).toMatch(/ledger_projection_checkpoint_lag_seconds\{projection="inventory"\} 0/);
    } finally {
      await ledger.stop();
    }
  });

  it('starts again with the event in the log, and serves every other projection', async () => {
    const failures: ProjectionFailure[] = [];
    const ledger = await startService(home, { onProjectionFailure: (f) => failures.push(f) });
    try {
      expect(failures).toEqual([expect.objectContaining({ projection: 'accounts', position: bad.position, eventId: bad.id, type: 'AccountCreated.v1' })]);
      expect(failures[0].error).toMatch(/integer/);
      const after = await addNumber(ledger, '+13035550003');
      expect(await listed(ledger, after)).toEqual(['+13035550001', '+13035550002', '+13035550003']);
      await expectReadyNamesTheEvent(ledger);
    } finally {
      await ledger.stop();
    }
  });

  it('verify and rebuild-projections name the event and exit 1', async () => {
    const verified = await cli('verify');
    expect(verified.code).toBe(1);
    for (const part of ['projection accounts', bad.id, 'AccountCreated.v1', bad.position, 'integer']) expect(verified.text).toContain(part);
    expect(verified.text).toContain('projection inventory: matches');

    const rebuilt = await cli('rebuild-projections');
    expect(rebuilt.code).toBe(1);
    for (const part of ['accounts', bad.id, 'AccountCreated.v1', bad.position]) expect(rebuilt.text).toContain(part);
    expect(rebuilt.text).not.toMatch(/\n\s+at /); // a message, not a stack
  });

  it('an upcaster registered for the event type lets the projection carry on from where it stopped', async () => {
    const unregister = registerUpcaster(ACCOUNT_EVENT_TYPES.AccountCreated, (e) =>
      typeof e.data.maxBillableNumbers === 'number' && e.data.maxBillableNumbers > 2 ** 31 - 1 ? { ...e, data: { ...e.data, maxBillableNumbers: null } } : e,
    );
    try {
      const ledger = await startService(home);
      try {
        const ready = await ledger.call('GET', '/ready');
        expect(ready.status).toBe(200);
        expect(ready.body.projections.every((p: { failing: unknown }) => p.failing === null)).toBe(true);
        expect((await ledger.call('GET', '/v1/accounts/huge')).status).toBe(200);
        const after = await addNumber(ledger, '+13035550004');
        expect((await listed(ledger, after)).length).toBe(4);
        await caughtUp(ledger, after, ['billing', 'accounts']);
        expect((await ledger.call('GET', `/v1/accounts/acme/quantities?minPosition=${after}`)).status).toBe(200);
      } finally {
        await ledger.stop();
      }
      expect((await cli('verify')).code).toBe(0);
    } finally {
      unregister();
    }
  });

  async function expectReadyNamesTheEvent(ledger: RunningLedger): Promise<void> {
    const ready = await ledger.call('GET', '/ready');
    expect(ready.status).toBe(503);
    expect(ready.headers.get('content-type')).toContain('application/problem+json');
    expect(ready.body.failing).toEqual(['accounts']);
    expect(ready.body.detail).toContain(bad.id);
    const accounts = ready.body.projections.find((p: { name: string }) => p.name === 'accounts');
    expect(accounts.failing).toMatchObject({ position: bad.position, eventId: bad.id, type: 'AccountCreated.v1' });
    // Inventory goes on: at least where every projection not failing is (as a first lane it may be ahead of them).
    const inventory = ready.body.projections.find((p: { name: string }) => p.name === 'inventory');
    expect(inventory.failing).toBeNull();
    expect(comparePositions(inventory.position, ready.body.projected)).toBeGreaterThanOrEqual(0);
  }
});

/** A bounded wait for the projections in `reads` to apply `position` (the machine may be busy). */
async function caughtUp(ledger: RunningLedger, position: string, reads: string[]): Promise<void> {
  expect(await ledger.runtime.projector.waitFor(position, 120_000, reads)).toBe(true);
}

function hugeAccount(): Record<string, unknown> {
  return {
    id: 'huge', name: 'Huge', parentId: null, reseller: false, superAdmin: false, allowNumberAdditions: false,
    maxBillableNumbers: 1e308, at: new Date().toISOString(),
  };
}

describe.each(kinds)('a database with the single checkpoint of earlier versions (%s)', (kind) => {
  let home: LedgerHome;
  beforeAll(async () => {
    home = await createHome(kind);
  });
  afterAll(async () => home?.remove());

  it('carries every projection on from the old checkpoint, and starts a new projection from zero', async () => {
    let ledger = await startService(home);
    let last = '';
    for (const n of ['+13035550101', '+13035550102']) {
      const added = await ledger.call('POST', '/v1/numbers', { body: { number: n, state: 'available', carrierModule: 'knm_inventory' } });
      expect(added.status).toBe(201);
      last = added.headers.get('x-ledger-position')!;
    }
    const { sql } = ledger.runtime.stores;
    const { projector } = ledger.runtime;
    await caughtUp(ledger, last, []);
    await projector.stop();
    await projector.catchUp();
    const head = projector.checkpoint;
    // As an earlier version left it: one row for all projections. The inventory row of the
    // first number goes too: it comes back only if the history before the checkpoint is replayed.
    await sql.query(`DELETE FROM projection_checkpoints`);
    await sql.query(`INSERT INTO projection_checkpoints (name, position) VALUES ('ledger', $1)`, [head]);
    await sql.query(`DELETE FROM inventory WHERE number = '+13035550101'`);
    await ledger.stop();

    ledger = await startService(home, { projections: [new EventCounts()] });
    try {
      const added = await ledger.call('POST', '/v1/numbers', { body: { number: '+13035550103', state: 'available', carrierModule: 'knm_inventory' } });
      expect(added.status).toBe(201);
      await caughtUp(ledger, added.headers.get('x-ledger-position')!, ['inventory']);
      const listed = await ledger.call('GET', `/v1/numbers?prefix=%2B1303555010&minPosition=${added.headers.get('x-ledger-position')}`);
      expect(listed.body.data.map((n: { number: string }) => n.number)).toEqual(['+13035550102', '+13035550103']);

      const { sql: db, events: log } = ledger.runtime.stores;
      const rows = (await db.query<{ name: string }>('SELECT name FROM projection_checkpoints ORDER BY name')).rows.map((r) => r.name);
      expect(rows).toEqual(['accounts', 'audits', 'billing', 'carrier_reconciliations', 'event-counts', 'inventory', 'log-tree', 'tasks', 'usage']);
      const all = await log.readAll('0:0', 100_000, { streamPrefixes: LEDGER_STREAM_PREFIXES });
      await caughtUp(ledger, all[all.length - 1].position, ['event-counts']);
      expect((await db.query('SELECT sum(n)::int AS n FROM event_counts')).rows).toEqual([{ n: all.length }]);
    } finally {
      await ledger.stop();
    }
  });
});
