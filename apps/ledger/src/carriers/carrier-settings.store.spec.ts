import { PgliteSqlClient } from '@ledger/sql';
import { SqlEventStore } from '@ledger/event-store';
import { CarrierSettingsStore } from './carrier-settings.store';
import { CredentialSeal } from './credential-seal';

const metadata = { actor: 'system' };

describe('CarrierSettingsStore change watching (on PGlite)', () => {
  let sql: PgliteSqlClient;
  let events: SqlEventStore;
  let store: CarrierSettingsStore;
  let other: CarrierSettingsStore;
  let changes: number;
  let seal: CredentialSeal;

  beforeAll(async () => {
    sql = await PgliteSqlClient.open();
    events = new SqlEventStore(sql);
    await events.init();
    seal = new CredentialSeal(sql, 'public', Buffer.alloc(32, 7));
    await sql.exec(seal.ddl());
  });

  afterAll(async () => {
    await events.close();
    await sql.close();
  });

  beforeEach(() => {
    store = new CarrierSettingsStore(events, seal);
    other = new CarrierSettingsStore(events, seal);
    changes = 0;
    store.onChange(() => changes++);
  });

  const projected = async (streamId: string) => (await events.readStream(streamId)).slice(-1);

  it('ignores its own write when the projector sees it later (later search pages stay cached)', async () => {
    await store.enableModules('r1', ['knm_telnyx'], metadata);
    expect(changes).toBe(1);
    expect((await store.scope('r1')).enabledModules).toEqual(['knm_telnyx']);
    store.heard(await projected('config-carriers-r1'));
    expect(changes).toBe(1);
  });

  it("reloads when another instance's write reaches it", async () => {
    expect((await store.scope('r2')).enabledModules).toBeUndefined();
    await other.enableModules('r2', ['knm_vitelity'], metadata);
    store.heard(await projected('config-carriers-r2'));
    expect(changes).toBe(1);
    expect((await store.scope('r2')).enabledModules).toEqual(['knm_vitelity']);
  });

  it('does not clear anything for a scope it never read, nor for other streams', async () => {
    await other.enableModules('r3', ['knm_telnyx'], metadata);
    store.heard(await projected('config-carriers-r3'));
    expect(changes).toBe(0);
    expect((await store.scope('r3')).enabledModules).toEqual(['knm_telnyx']);
  });
});
