import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../apps/ledger-cli/src/cli';
import { CliIo, silentProgress } from '../../apps/ledger-cli/src/cli-io';
import { LedgerSession } from '../../apps/ledger-cli/src/ledger-session';
import { createHome, LedgerHome, parseCsv, startService } from './tasks-harness';
import { FakeCarrier, json, settingsFor } from '@ledger/carriers/test/fake-carrier';
import { CarrierSettingsStore } from '../../apps/ledger/src/carriers/carrier-settings.store';

/** The operator CLI against the same stores (embedded PGlite) the service uses, service stopped. */
describe('operator CLI (embedded PGlite)', () => {
  let home: LedgerHome;
  let env: NodeJS.ProcessEnv;
  const keys: Record<string, string> = {};

  const cli = async (...argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l), progress: () => silentProgress };
    const code = await runCli(argv, io, env);
    return { code, out, err, json: () => JSON.parse(out.join('\n')) };
  };
  const withService = async <T>(work: (call: Awaited<ReturnType<typeof startService>>['call']) => Promise<T>): Promise<T> => {
    const ledger = await startService(home);
    try {
      return await work(ledger.call);
    } finally {
      await ledger.stop();
    }
  };
  const withStores = async <T>(work: (s: LedgerSession) => Promise<T>): Promise<T> => {
    const session = await LedgerSession.open(env, () => undefined);
    try {
      return await work(session);
    } finally {
      await session.close();
    }
  };

  beforeAll(async () => {
    home = await createHome('pglite');
    env = { LEDGER_DATA_DIR: home.dataDir, LEDGER_SYSTEM_KEY: home.settings.systemKey! };
    await withService(async (call) => {
      for (const a of [
        { id: 'acme', name: 'Acme', reseller: true },
        { id: 'acme-site', name: 'Acme site', parentId: 'acme' },
        { id: 'other', name: 'Other' },
      ]) {
        expect((await call('POST', '/v1/accounts', { body: a })).status).toBe(201);
        keys[a.id] = (await call('POST', `/v1/accounts/${a.id}/keys`, { body: {} })).body.key;
      }
    });
  });

  afterAll(async () => home?.remove());

  it('generates exactly COUNT consecutive managed numbers that only the account and its descendants can find and take', async () => {
    const r = await cli('generate-numbers', 'managed', 'acme', '+14155550000', '500');
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({ status: 'success', total: 500, succeeded: 500, failed: 0 });

    await withService(async (call) => {
      const expected = Array.from({ length: 500 }, (_, i) => `+1415555${String(i).padStart(4, '0')}`);
      const listed = await call('GET', '/v1/numbers?carrierModule=knm_managed&limit=1000');
      expect(listed.body.data.map((n: any) => n.number)).toEqual(expected);
      expect(listed.body.data.every((n: any) => n.state === 'available')).toBe(true);

      for (const who of ['acme', 'acme-site']) {
        const found = await call('GET', '/v1/numbers/search?prefix=415555&quantity=1000', { key: keys[who] });
        expect(found.status).toBe(200);
        expect(found.body.data.map((n: any) => n.number)).toEqual(expected);
      }
      const stranger = await call('GET', '/v1/numbers/search?prefix=415555&quantity=1000', { key: keys.other });
      expect(stranger.body.data).toEqual([]);
      expect((await call('POST', '/v1/numbers/+14155550007/acquire', { key: keys.other, body: {} })).status).toBe(403);
      const taken = await call('POST', '/v1/numbers/+14155550007/acquire', { key: keys['acme-site'], body: {} });
      expect(taken.status).toBe(200);
      expect(taken.body).toMatchObject({ state: 'in_service', assignedTo: 'acme-site' });
    });
    expect((await cli('generate-numbers', 'managed', 'nobody', '+14155551000', '5')).code).toBe(2);
  });

  it('verify detects a corrupted read-model row, and a rebuild repairs it', async () => {
    expect((await cli('verify')).code).toBe(0);
    await withStores((s) => s.stores.sql.query(`UPDATE inventory SET state = 'available', assigned_to = NULL WHERE number = '+14155550007'`));
    const r = await cli('verify');
    expect(r.code).toBe(1);
    expect(r.out.join('\n')).toContain('inventory: 1 rows differ');
    expect(r.out.join('\n')).toContain('+14155550007');
    expect((await cli('rebuild-projections')).code).toBe(0);
    expect((await cli('verify')).code).toBe(0);
  });

  it('prints a number\'s history', async () => {
    const r = await cli('history', '4155550007');
    expect(r.code).toBe(0);
    expect(r.out.map((l) => JSON.parse(l).type)).toEqual(['NumberAdded.v1', 'NumberAcquired.v1']);
    expect((await cli('history', 'not-a-number')).code).toBe(2);
  });

  it('runs CSV tasks from files, with dry run, and purges deleted numbers', async () => {
    const file = join(home.dataDir, 'delete.csv');
    writeFileSync(file, 'e164\n+14155550001\n+14155550002\n+19995550000\n');
    const dry = await cli('delete', file, '--dry-run');
    expect(dry.code).toBe(3);
    expect(dry.json()).toMatchObject({ status: 'partial', dryRun: true, succeeded: 2, failed: 1 });
    const out = join(home.dataDir, 'delete-result.csv');
    const real = await cli('delete', file, '--output', out);
    expect(real.json()).toMatchObject({ status: 'partial', succeeded: 2, failed: 1 });
    const { readFileSync } = await import('node:fs');
    expect(parseCsv(readFileSync(out, 'utf8')).map((row) => row[1])).toEqual(['result', 'success', 'success', 'error']);
    expect((await cli('purge-deleted')).json()).toEqual({ purged: 2 });
    expect((await cli('verify')).code).toBe(0);

    writeFileSync(file, 'number\n+14155550001\n');
    const bad = await cli('import', file);
    expect(bad.code).toBe(2);
    expect(bad.err.join('\n')).toContain('e164');
  });

  it('list prints the inventory CSV on stdout and the task summary on stderr', async () => {
    const r = await cli('list');
    expect(r.code).toBe(0);
    const rows = parseCsv(r.out.join('\n'));
    expect(rows[0]).toContain('e164');
    expect(rows.length).toBeGreaterThan(1);
    expect(JSON.parse(r.err[r.err.length - 1])).toMatchObject({ action: 'list', status: 'success' });
  });

  it('reads and changes the configuration, refusing invalid values', async () => {
    expect((await cli('config', 'set', 'shouldAge', 'false')).code).toBe(0);
    expect((await cli('config', 'get', 'shouldAge')).json()).toBe(false);
    const bad = await cli('config', 'set', 'agingPeriodDays', '-1');
    expect(bad.code).toBe(2);
    expect((await cli('config', 'get', 'agingPeriodDays')).json()).toBe(90);
    // Names every object has are no settings: refused, never recorded.
    for (const key of ['__proto__', 'constructor', 'toString']) {
      expect([key, (await cli('config', 'set', key, '{"shouldAge":true}')).code]).toEqual([key, 2]);
      expect([key, (await cli('config', 'get', key)).code]).toEqual([key, 2]);
    }
    expect(Object.keys((await cli('config', 'get')).json())).not.toEqual(expect.arrayContaining(['constructor']));
    expect((await cli('config', 'get', 'shouldAge')).json()).toBe(false);
  });

  it('refuses --as with an empty account id instead of running with the system\'s rights', async () => {
    const r = await cli('list', '--as', '');
    expect(r.code).toBe(2);
    expect(r.err.join('\n')).toContain('--as needs an account id');
  });

  it('resume refuses a task id that is no task, plainly', async () => {
    const r = await cli('resume', '../../etc/passwd');
    expect(r.code).toBe(2);
    expect(r.err.join('\n')).toContain('no task');
  });

  it('refuses an audit of an account that is not there, a hostile id or a bad --limit, recording nothing (as POST /v1/audits)', async () => {
    const audits = () => withStores(async (s) => Number((await s.stores.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM ledger_events WHERE stream_id LIKE 'audit-%'`)).rows[0].n));
    const before = await audits();
    for (const argv of [['audit', '__proto__'], ['audit', 'no-such-account'], ['audit', 'a'.repeat(129)], ['audit', 'ac\u001bme'], ['audit', 'acme', '--limit', 'abc'], ['audit', 'acme', '--limit', '-1']]) {
      expect([argv.join(' ').slice(0, 40), (await cli(...argv)).code]).toEqual([argv.join(' ').slice(0, 40), 2]);
    }
    expect(await audits()).toBe(before);
  });

  it('audits a customer and purges discovery entries', async () => {
    const r = await cli('audit', 'acme');
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({ status: 'completed' });
    expect((await cli('purge-discovery')).json()).toEqual({ purged: 0, failed: 0 });
  });

  it('reconciles a carrier\'s own list of numbers with the ledger and prints the report; refuses unknown fixes', async () => {
    const carrier = await FakeCarrier.start((req) => req.path === '/held-numbers'
      ? json({ numbers: [{ number: '+16285550777', status: 'active' }], nextPage: null })
      : json({ error: 'not here' }, 404));
    try {
      await withStores((s) => s.get(CarrierSettingsStore).configureModule('system', 'knm_other', settingsFor('knm_other', carrier.url), { command: 'test' }));
      const r = await cli('reconcile-carriers', 'knm_other');
      expect(r.code).toBe(0);
      const [report] = r.json();
      expect(report).toMatchObject({ module: 'knm_other', status: 'completed', counts: { paid_for_nothing: 1, upstream: 1 } });
      expect(report.findings.map((f: { number: string }) => f.number)).toEqual(['+16285550777']);
      const refused = await cli('reconcile-carriers', 'knm_other', '--fix', 'delete_everything');
      expect(refused.code).toBe(2);
      expect(refused.err.join('\n')).toContain('unknown fix delete_everything');
      expect(carrier.seen('DELETE', /.*/)).toHaveLength(0);
    } finally {
      await carrier.close();
    }
  });

  it('lists and revokes an account key; the service refuses the revoked key', async () => {
    const listed = await cli('keys', 'list', 'other');
    expect(listed.code).toBe(0);
    const entries = listed.out.map((l) => JSON.parse(l));
    expect(entries).toEqual([{ keyId: expect.any(String), name: null, createdAt: expect.any(String) }]);
    expect(listed.out.join('\n')).not.toContain(keys.other);
    expect((await cli('keys', 'revoke', 'other', entries[0].keyId)).code).toBe(0);
    expect((await cli('keys', 'list', 'other')).out).toEqual([]);
    expect((await cli('keys', 'revoke', 'other', entries[0].keyId)).code).toBe(2);
    await withService(async (call) => {
      expect((await call('GET', '/v1/accounts/other', { key: keys.other })).status).toBe(401);
      expect((await call('GET', '/v1/accounts/acme', { key: keys.acme })).status).toBe(200);
    });
  });
});
