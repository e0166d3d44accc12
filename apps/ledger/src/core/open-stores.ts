import { join } from 'node:path';
import { EventStore } from '@ledger/event-store/port';
import { FOLLOW_BATCH } from '@ledger/projections/projector';
import { SqlEventStore } from '@ledger/event-store/sql-event-store';
import { PgSqlClient } from '@ledger/sql/pg-sql-client';
import { PgliteSqlClient } from '@ledger/sql/pglite-sql-client';
import { SqlClient } from '@ledger/sql/sql-client';
import { LedgerSettings } from './ledger-settings';
import { DataDirLock } from './data-dir-lock';

export interface LedgerStores {
  /** Read models (and events, unless EventStoreDB holds them). */
  sql: SqlClient;
  events: EventStore;
  describe: string;
  /** Embedded store only: this process's exclusive hold on LEDGER_DATA_DIR. */
  lock: DataDirLock | null;
  close(): Promise<void>;
}

/**
 * EVENTSTORE_URL: events in EventStoreDB; DATABASE_URL: PostgreSQL (read models, and events
 * unless EventStoreDB is set); neither: embedded PGlite under LEDGER_DATA_DIR.
 */
export async function openStores(settings: LedgerSettings): Promise<LedgerStores> {
  // Taken before PGlite opens the directory: a second process must not even recover it.
  const lock = settings.databaseUrl ? null : DataDirLock.acquire(settings.dataDir);
  let sql: SqlClient;
  try {
    sql = settings.databaseUrl ? new PgSqlClient(settings.databaseUrl) : await PgliteSqlClient.open(join(settings.dataDir, 'pglite'));
  } catch (err) {
    lock?.release();
    throw err;
  }
  const events = settings.eventstoreUrl
    ? await openEsdb(settings.eventstoreUrl)
    : new SqlEventStore(sql, { batchSize: FOLLOW_BATCH, coalesceMs: settings.projectionCoalesceMs, groupCommit: { inFlight: settings.appendsInFlight } });
  try {
    await events.init();
  } catch (err) {
    await sql.close().catch(() => undefined);
    lock?.release();
    throw err;
  }
  const describe = `events: ${settings.eventstoreUrl ? 'EventStoreDB' : sql.kind}, read models: ${sql.kind}`;
  return {
    sql,
    events,
    describe,
    lock,
    async close() {
      await events.close().catch(() => undefined);
      if (events !== (sql as unknown)) await sql.close().catch(() => undefined);
      lock?.release();
    },
  };
}

async function openEsdb(url: string): Promise<EventStore> {
  // Loaded lazily: only deployments on EventStoreDB pay for the gRPC client.
  const { EsdbEventStore } = await import('@ledger/event-store/esdb/esdb-event-store');
  return new EsdbEventStore(url);
}
