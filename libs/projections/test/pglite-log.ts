import { randomUUID } from 'node:crypto';
import { SqlEventStore } from '@ledger/event-store/sql-event-store';
import { PgliteSqlClient } from '@ledger/sql';

/** For projector specs: a fresh embedded database and event store around each test, and one-event appends. */
export function pgliteLog() {
  const log = {} as { sql: PgliteSqlClient; store: SqlEventStore };
  beforeEach(async () => {
    log.sql = await PgliteSqlClient.open();
    log.store = new SqlEventStore(log.sql, { pollMs: 10 });
    await log.store.init();
  });
  afterEach(async () => {
    await log.store.close();
    await log.sql.close();
  });
  const append = (stream: string) =>
    log.store.append(stream, [{ id: randomUUID(), type: 'Seen.v1', data: {}, metadata: { actor: 'system' } }], 'no_stream');
  return { log, append };
}
