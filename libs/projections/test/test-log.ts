import { randomUUID } from 'node:crypto';
import { SqlEventStore } from '@ledger/event-store/sql-event-store';
import { PgliteSqlClient } from '@ledger/sql';
import { SqlClient } from '@ledger/sql/sql-client';
import { createScratchDatabase, ScratchDatabase } from '@ledger/sql/test/test-database';

export type LogKind = 'pglite' | 'postgres';

/**
 * For projector specs: a fresh database (embedded, or a scratch PostgreSQL database) and event
 * store around each test, and one-event appends. Read `log.sql` and `log.store` inside tests.
 */
export function testLog(kind: LogKind = 'pglite') {
  const log = {} as { sql: SqlClient; store: SqlEventStore };
  let scratch: ScratchDatabase | null = null;
  beforeEach(async () => {
    if (kind === 'postgres') scratch = await createScratchDatabase('projector');
    log.sql = scratch ? scratch.client : await PgliteSqlClient.open();
    log.store = new SqlEventStore(log.sql, { pollMs: 10 });
    await log.store.init();
  });
  afterEach(async () => {
    await log.store.close();
    if (scratch) await scratch.drop();
    else await log.sql.close();
    scratch = null;
  });
  const append = (stream: string) =>
    log.store.append(stream, [{ id: randomUUID(), type: 'Seen.v1', data: {}, metadata: { actor: 'system' } }], 'no_stream');
  return { log, append };
}
