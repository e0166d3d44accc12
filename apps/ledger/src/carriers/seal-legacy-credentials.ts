import { EVENTS } from '@ledger/event-store/sql/schema';
import { SqlEventStore } from '@ledger/event-store/sql-event-store';
import { LedgerStores } from '../stores/open-stores';
import { CARRIER_EVENT_TYPES, CARRIER_STREAM_PREFIX, CarrierSettingsConfigured, CarrierSettingsConfiguredSealed } from './carrier-settings.events';
import { CredentialSeal } from './credential-seal';

/**
 * The one sanctioned rewrite of the log (docs/secrets.md): settings events
 * recorded before credentials were sealed (`CarrierSettingsConfigured.v1`, in
 * clear) are rewritten in place as `CarrierSettingsConfigured.v2`, same event
 * id, stream, revision and position, with the credentials sealed under the
 * scope's data key. Idempotent: once done there is nothing left to rewrite.
 * SQL event stores only (EventStoreDB events cannot be changed). Returns how many were rewritten.
 */
export async function sealLegacyCredentials(stores: LedgerStores, seal: CredentialSeal): Promise<number> {
  if (!(stores.events instanceof SqlEventStore)) return 0;
  const r = await stores.sql.query<{ event_id: string; stream_id: string; data: CarrierSettingsConfigured }>(
    `SELECT event_id::text AS event_id, stream_id, data FROM ${EVENTS} WHERE type = $1 AND stream_id LIKE $2 ORDER BY sequence`,
    [CARRIER_EVENT_TYPES.CarrierSettingsConfigured, `${CARRIER_STREAM_PREFIX}%`],
  );
  for (const row of r.rows) {
    const scope = row.stream_id.slice(CARRIER_STREAM_PREFIX.length);
    const { credentials, ...settings } = (row.data.settings ?? {});
    const sealed: CarrierSettingsConfiguredSealed = {
      module: row.data.module,
      settings,
      sealedCredentials: credentials ? await seal.seal(scope, row.data.module, credentials) : null,
      at: row.data.at,
    };
    await stores.sql.query(
      `UPDATE ${EVENTS} SET type = $2, data = $3::jsonb WHERE event_id = $1::uuid AND type = $4`,
      [row.event_id, CARRIER_EVENT_TYPES.CarrierSettingsConfiguredSealed, JSON.stringify(sealed), CARRIER_EVENT_TYPES.CarrierSettingsConfigured],
    );
  }
  return r.rows.length;
}

const MIGRATION = 'seal-legacy-credentials';

/** Where a one-time migration records that it has run (read-model schema). */
export function migrationsDdl(schema: string): string {
  return `CREATE TABLE IF NOT EXISTS ${schema}.ledger_migrations (
    name text PRIMARY KEY, done_at timestamptz NOT NULL DEFAULT now())`;
}

/**
 * The rewrite at start-up, once: finding the old events scans the whole log, and once they
 * are rewritten no current version writes another (instances of older versions are stopped
 * before a newer one starts). `ledger seal-credentials` still scans whenever it is asked.
 */
export async function sealLegacyCredentialsOnce(stores: LedgerStores, seal: CredentialSeal, schema: string): Promise<number> {
  if (!(stores.events instanceof SqlEventStore)) return 0;
  const done = await stores.sql.query(`SELECT 1 FROM ${schema}.ledger_migrations WHERE name = $1`, [MIGRATION]);
  if (done.rows.length > 0) return 0;
  const sealed = await sealLegacyCredentials(stores, seal);
  await stores.sql.query(`INSERT INTO ${schema}.ledger_migrations (name) VALUES ($1) ON CONFLICT (name) DO NOTHING`, [MIGRATION]);
  return sealed;
}
