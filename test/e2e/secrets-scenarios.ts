import { randomUUID } from 'node:crypto';
import { captureLogs, FakeCarrier, json, written, type SeenRequest } from '@ledger/carriers/test/fake-carrier';
import { sealLegacyCredentials } from '../../apps/ledger/src/carriers/seal-legacy-credentials';
import { LedgerHarness } from '../support/ledger-harness';

const OPERATOR_MODULES = ['knm_local', 'knm_inventory', 'knm_managed', 'knm_inum', 'knm_mdn', 'knm_telnyx'];

/**
 * SPEC 12, secrets: a carrier token is sealed before any event records it,
 * found in clear nowhere (log, read models, logs, answers), still used for
 * calls to the carrier, and unreadable once its scope's credentials are removed.
 */
export function describeSecretScenarios(name: string, start: () => Promise<LedgerHarness>): void {
  describe(`sealed carrier credentials (${name})`, () => {
    let ledger: LedgerHarness;
    let telnyx: FakeCarrier;
    const logs = captureLogs();
    const answers: string[] = [];
    const token = `tok-${randomUUID()}`;
    const legacyToken = `legacy-${randomUUID()}`;
    const call = async (method: string, path: string, body?: unknown) => {
      const r = await ledger.call(method, path, { body });
      answers.push(`${r.status} ${JSON.stringify([...r.headers.entries()])} ${JSON.stringify(r.body)}`);
      return r;
    };
    const route = (req: SeenRequest) => (req.path === '/v2/available_phone_numbers' ? json(written('telnyx_v2_available_phone_numbers.json')) : { status: 404, body: '{}' });
    const bearers = () => telnyx.requests.map((r) => r.headers.authorization);
    /** Every place at rest a secret could sit: the log and every table of the read-model schema. */
    const foundAtRest = async (secret: string) => {
      const sql = ledger.runtime.stores.sql;
      const found: string[] = [];
      const inLog = await sql.query(`SELECT event_id FROM ledger_events WHERE data::text LIKE $1 OR metadata::text LIKE $1`, [`%${secret}%`]);
      if (inLog.rows.length > 0) found.push(`ledger_events (${inLog.rows.length})`);
      const tables = await sql.query<{ table_name: string }>(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE' AND table_name <> 'ledger_events'`,
        [ledger.runtime.projector.schema],
      );
      for (const { table_name } of tables.rows) {
        const r = await sql.query(`SELECT 1 FROM ${ledger.runtime.projector.schema}.${table_name} t WHERE t::text LIKE $1 LIMIT 1`, [`%${secret}%`]);
        if (r.rows.length > 0) found.push(table_name);
      }
      return found;
    };

    beforeAll(async () => {
      telnyx = await FakeCarrier.start(route);
      ledger = await start();
      ledger.carrierLogs.use(logs.logger);
      expect((await call('PUT', '/v1/config/number-manager', { carrierModules: OPERATOR_MODULES })).status).toBe(200);
      expect((await call('POST', '/v1/accounts', { id: 'res', name: 'Reseller', reseller: true })).status).toBe(201);
    });
    afterAll(async () => {
      await ledger?.close();
      await telnyx?.close();
    });

    it('seals the token before it is recorded, and still calls the carrier with it', async () => {
      const put = await call('PUT', '/v1/config/carriers/knm_telnyx', { baseUrl: telnyx.url, credentials: { token }, timeoutMs: 2000 });
      expect(put.status).toBe(200);
      expect(put.body.settings.credentials).toEqual({ token: '***' });
      const search = await call('GET', '/v1/numbers/search?prefix=312555');
      expect(search.status).toBe(200);
      expect(search.body.carriers).toEqual([{ module: 'knm_telnyx', status: 'ok' }]);
      expect(bearers()).toContain(`Bearer ${token}`);
      await call('GET', '/v1/config/carriers/knm_telnyx');
      await call('GET', '/v1/config/carriers');
      await ledger.settled();
      const recorded = await ledger.runtime.stores.sql.query(`SELECT type, data FROM ledger_events WHERE stream_id = 'config-carriers-system' ORDER BY sequence`);
      expect(recorded.rows.map((r: any) => r.type)).toEqual(['CarrierSettingsConfigured.v2']);
      expect(recorded.rows[0].data.sealedCredentials).toEqual(expect.objectContaining({ keyId: expect.any(String), data: expect.any(String) }));
      expect(await foundAtRest(token)).toEqual([]);
      expect(answers.filter((a) => a.includes(token))).toEqual([]);
      expect(logs.lines.filter((l) => l.includes(token))).toEqual([]);
    });

    it('removing the scope\'s credentials destroys its data key: the sealed copies cannot be read any more', async () => {
      const [event] = (await ledger.runtime.stores.events.readStream('config-carriers-system')).filter((e) => e.type === 'CarrierSettingsConfigured.v2');
      const sealed = (event.data as any).sealedCredentials;
      expect(await ledger.runtime.seal.open('system', 'knm_telnyx', sealed)).toEqual({ token });
      expect((await call('DELETE', '/v1/config/carriers/credentials')).status).toBe(204);
      expect(await ledger.runtime.seal.open('system', 'knm_telnyx', sealed)).toBeNull();
      expect((await call('GET', '/v1/config/carriers/knm_telnyx')).body.settings.credentials).toEqual({});
      const before = telnyx.requests.length;
      await call('GET', '/v1/numbers/search?prefix=312556');
      expect(bearers().slice(before).filter((b) => b?.includes(token))).toEqual([]);
      expect(await foundAtRest(token)).toEqual([]);
    });

    it('migrates a log from before sealing: no credential left in clear, the carrier still gets it', async () => {
      // what an older version recorded: the credentials as given
      await ledger.runtime.stores.events.append('config-carriers-res', [{
        id: randomUUID(), type: 'CarrierSettingsConfigured.v1',
        data: { module: 'knm_telnyx', settings: { baseUrl: telnyx.url, credentials: { token: legacyToken }, timeoutMs: 2000 }, at: new Date().toISOString() },
        metadata: { actor: 'system', command: 'ConfigureCarrier' },
      }], 'no_stream');
      expect(await foundAtRest(legacyToken)).toEqual(['ledger_events (1)']);
      expect(await sealLegacyCredentials(ledger.runtime.stores, ledger.runtime.seal)).toBe(1);
      expect(await sealLegacyCredentials(ledger.runtime.stores, ledger.runtime.seal)).toBe(0);
      expect(await foundAtRest(legacyToken)).toEqual([]);
      ledger.runtime.carriers.store.invalidate();
      expect((await call('PUT', '/v1/accounts/res/carriers', { enabledModules: ['knm_telnyx'] })).status).toBe(200);
      expect((await call('POST', '/v1/accounts', { id: 'res-cust', name: 'Customer', parentId: 'res' })).status).toBe(201);
      const key = (await call('POST', '/v1/accounts/res-cust/keys', { name: 'k' })).body.key;
      const search = await ledger.call('GET', '/v1/numbers/search?prefix=312557', { key });
      expect(search.status).toBe(200);
      expect(bearers()).toContain(`Bearer ${legacyToken}`);
      expect(answers.filter((a) => a.includes(legacyToken))).toEqual([]);
    });
  });
}
