import { PgliteSqlClient } from '@ledger/sql';
import { SqlEventStore } from '@ledger/event-store';
import { NumberManagerConfigStore } from '../number-manager-config.store';
import { GetNumberManagerConfigHandler } from '../get-number-manager-config/get-number-manager-config.handler';
import { GetNumberManagerConfigQuery } from '../get-number-manager-config/get-number-manager-config.query';
import { ConfigureNumberManagerCommand } from './configure-number-manager.command';
import { ConfigureNumberManagerHandler } from './configure-number-manager.handler';

const operator = { accountId: 'system', isSystem: true };
const tenant = { accountId: 'acme', isSystem: false };

describe('ConfigureNumberManager (on PGlite)', () => {
  let sql: PgliteSqlClient;
  let events: SqlEventStore;

  beforeAll(async () => {
    sql = await PgliteSqlClient.open();
    events = new SqlEventStore(sql);
    await events.init();
  });

  afterAll(async () => {
    await events.close();
    await sql.close();
  });

  it('records the whole configuration and answers it with its position; the query reads it back', async () => {
    const store = new NumberManagerConfigStore(events);
    const done = await new ConfigureNumberManagerHandler(store, events).execute(new ConfigureNumberManagerCommand({ agingPeriodDays: 30 }, { requester: operator }));
    const [recorded] = await events.readStream('config-number-manager');
    expect(recorded).toMatchObject({ type: 'NumberManagerConfigured.v1', position: done.position, metadata: { actor: 'system', command: 'ConfigureNumberManager' } });
    expect(recorded.data.config).toEqual(done.config);
    expect(await new GetNumberManagerConfigHandler(store).execute(new GetNumberManagerConfigQuery(operator))).toMatchObject({ agingPeriodDays: 30 });
  });

  it('only the operator reads or changes it', async () => {
    const store = new NumberManagerConfigStore(events);
    await expect(new ConfigureNumberManagerHandler(store, events).execute(new ConfigureNumberManagerCommand({ shouldAge: false }, { requester: tenant })))
      .rejects.toMatchObject({ code: 'unauthorized' });
    await expect(new GetNumberManagerConfigHandler(store).execute(new GetNumberManagerConfigQuery(tenant))).rejects.toMatchObject({ code: 'unauthorized' });
  });

  it('a change decided on a configuration another instance has since changed is a concurrency_conflict, and the next one goes through', async () => {
    const mine = new NumberManagerConfigStore(events);
    await mine.current();
    await new ConfigureNumberManagerHandler(new NumberManagerConfigStore(events), events).execute(new ConfigureNumberManagerCommand({ shouldAge: false }, { requester: operator }));
    const configure = new ConfigureNumberManagerHandler(mine, events);
    await expect(configure.execute(new ConfigureNumberManagerCommand({ agingPeriodDays: 10 }, { requester: operator }))).rejects.toMatchObject({ code: 'concurrency_conflict' });
    const retried = await configure.execute(new ConfigureNumberManagerCommand({ agingPeriodDays: 10 }, { requester: operator }));
    expect(retried.config).toMatchObject({ shouldAge: false, agingPeriodDays: 10 });
  });
});
