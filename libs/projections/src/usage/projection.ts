import { RecordedEvent } from '@ledger/event-store/port';
import { SqlExecutor } from '@ledger/sql/sql-client';
import { Projection } from '../projection';
import { SERVICE_EVENT_TYPES, SERVICE_STREAM_PREFIX, serviceEvents, ServiceRegistered, ServiceRemoved } from '@ledger/domain/service/events';

/**
 * The service registry (`services`) and who uses which number (`service_numbers`,
 * one row per number and service). Numbers carry their own copy of the usage
 * (`inventory.used_by`, set by NumberUsageSet events); this is the registry side.
 */
export class UsageProjection implements Projection {
  readonly name = 'usage';
  readonly tables = [
    { name: 'services', key: 'account_id, type, service_id' },
    { name: 'service_numbers', key: 'number, account_id, type, service_id' },
  ];

  ddl(s: string): string {
    return `
      CREATE TABLE IF NOT EXISTS ${s}.services (
        account_id text NOT NULL,
        type text NOT NULL,
        service_id text NOT NULL,
        name text,
        numbers jsonb NOT NULL DEFAULT '[]',
        updated_at timestamptz NOT NULL,
        position text NOT NULL,
        PRIMARY KEY (account_id, type, service_id)
      );
      CREATE TABLE IF NOT EXISTS ${s}.service_numbers (
        number text NOT NULL,
        account_id text NOT NULL,
        type text NOT NULL,
        service_id text NOT NULL,
        PRIMARY KEY (number, account_id, type, service_id)
      );
      CREATE INDEX IF NOT EXISTS service_numbers_service ON ${s}.service_numbers (account_id, type, service_id);
    `;
  }

  async apply(tx: SqlExecutor, events: RecordedEvent[], s: string): Promise<void> {
    for (const e of events) {
      if (!e.streamId.startsWith(SERVICE_STREAM_PREFIX)) continue;
      const event = serviceEvents.read(e);
      if (event.type === SERVICE_EVENT_TYPES.ServiceRegistered) await registered(tx, s, event.data, e);
      else await removed(tx, s, event.data);
    }
  }
}

async function registered(tx: SqlExecutor, s: string, d: ServiceRegistered, e: RecordedEvent): Promise<void> {
  await removed(tx, s, d);
  await tx.query(
    `INSERT INTO ${s}.services (account_id, type, service_id, name, numbers, updated_at, position) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [d.accountId, d.type, d.serviceId, d.name, JSON.stringify(d.numbers), d.at, e.position],
  );
  if (d.numbers.length === 0) return;
  await tx.query(
    `INSERT INTO ${s}.service_numbers (number, account_id, type, service_id)
     SELECT DISTINCT unnest($1::text[]), $2, $3, $4 ON CONFLICT DO NOTHING`,
    [d.numbers, d.accountId, d.type, d.serviceId],
  );
}

async function removed(tx: SqlExecutor, s: string, d: Pick<ServiceRemoved, 'accountId' | 'type' | 'serviceId'>): Promise<void> {
  const key = [d.accountId, d.type, d.serviceId];
  await tx.query(`DELETE FROM ${s}.services WHERE account_id = $1 AND type = $2 AND service_id = $3`, key);
  await tx.query(`DELETE FROM ${s}.service_numbers WHERE account_id = $1 AND type = $2 AND service_id = $3`, key);
}
