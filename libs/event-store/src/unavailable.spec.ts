import { PgSqlClient } from '@ledger/sql';
import { numberEvents } from '@ledger/event-store/test/contract/contract-events';
import { EventStore, EventStoreUnavailableError, START } from './port';
import { SqlEventStore } from './sql-event-store';

export async function expectUnavailable(store: EventStore): Promise<void> {
  await expect(store.append('number-1', numberEvents(1), 'any')).rejects.toBeInstanceOf(EventStoreUnavailableError);
  await expect(store.readStream('number-1')).rejects.toBeInstanceOf(EventStoreUnavailableError);
  await expect(store.readAll(START, 10)).rejects.toBeInstanceOf(EventStoreUnavailableError);
  await expect(store.headPosition()).rejects.toBeInstanceOf(EventStoreUnavailableError);
}

describe('SqlEventStore when the database cannot be reached', () => {
  it('reports a PostgreSQL server that refuses connections as unavailable', async () => {
    const sql = new PgSqlClient('postgres://root@127.0.0.1:1/ledger', { connectionTimeoutMillis: 2_000 });
    try {
      await expectUnavailable(new SqlEventStore(sql));
    } finally {
      await sql.close();
    }
  });

});
