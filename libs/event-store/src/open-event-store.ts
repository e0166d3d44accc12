import { SqlClient } from '@ledger/sql';
import { EventStore } from './port';
import { SqlEventStore, SqlEventStoreOptions } from './sql-event-store';

export interface EventStoreConfig {
  /** `esdb://...`: events in EventStoreDB; otherwise in the SQL database behind `sql`. */
  eventstoreUrl?: string;
  /** The read-model database; holds the events too unless `eventstoreUrl` is set. */
  sql: SqlClient;
  sqlOptions?: SqlEventStoreOptions;
}

/** The configured event store, initialised (tables created or server checked). */
export async function openEventStore(config: EventStoreConfig): Promise<EventStore> {
  const store = config.eventstoreUrl
    ? await openEventStoreDb(config.eventstoreUrl)
    : new SqlEventStore(config.sql, config.sqlOptions);
  await store.init();
  return store;
}

/** Loaded on demand, so deployments without EventStoreDB never load its gRPC client. */
async function openEventStoreDb(url: string): Promise<EventStore> {
  const { EsdbEventStore } = await import('./esdb/esdb-event-store');
  return new EsdbEventStore(url);
}
