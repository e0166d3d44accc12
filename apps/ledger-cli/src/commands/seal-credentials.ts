import { sealLegacyCredentials } from '../../../ledger/src/carriers/seal-legacy-credentials';
import { CredentialSeal } from '../../../ledger/src/carriers/credential-seal';
import { CliIo } from '../cli-io';
import { LedgerSession } from '../ledger-session';

/**
 * `seal-credentials`: rewrites settings events recorded before credentials were
 * sealed (docs/secrets.md). Opening the stores already runs it, as every start
 * of the service does; this reports that nothing is left in clear.
 */
export async function sealCredentials(session: LedgerSession, io: CliIo): Promise<number> {
  const sealed = await sealLegacyCredentials(session.stores, session.get(CredentialSeal));
  const left = await session.stores.sql.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM ledger_events WHERE type = 'CarrierSettingsConfigured.v1'`,
  ).catch(() => ({ rows: [{ n: 0 }] }));
  io.out(JSON.stringify({ sealed, inClear: left.rows[0].n }));
  return left.rows[0].n === 0 ? 0 : 1;
}
