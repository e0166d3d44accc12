import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { SYSTEM_ACCOUNT_ID } from '@ledger/domain/account/events';
import { Requester } from '@ledger/domain/types';
import { AccountQueries } from '@ledger/projections/accounts/queries';
import { SqlClient } from '@ledger/sql/sql-client';

export const hashKey = (key: string): string => createHash('sha256').update(key).digest('hex');
export const newAccountKey = (): string => `nlk_${randomBytes(24).toString('base64url')}`;

/**
 * Resolves a bearer key to the requester: the system key (and, during a
 * rotation, the previous one), or an account key (stored hashed). Account keys
 * are looked up on every request, never cached, so a revocation recorded by
 * any instance is refused by all of them at once.
 */
export class KeyRing {
  private readonly systemKeys: Buffer[];
  private readonly queries: AccountQueries;

  constructor(sql: SqlClient, schema: string, systemKey: string, previousSystemKey: string | null = null) {
    this.queries = new AccountQueries(sql, schema);
    this.systemKeys = [systemKey, previousSystemKey].filter((k): k is string => !!k).map((k) => Buffer.from(k));
  }

  async resolve(key: string): Promise<Requester | null> {
    const bytes = Buffer.from(key);
    if (this.systemKeys.some((k) => bytes.length === k.length && timingSafeEqual(bytes, k))) {
      return { accountId: SYSTEM_ACCOUNT_ID, isSystem: true };
    }
    const accountId = await this.queries.accountOfKey(hashKey(key));
    return accountId ? { accountId, isSystem: false } : null;
  }

  /** The account's keys that are not revoked: ids, names, when issued (never the hash). */
  async list(accountId: string): Promise<Array<{ keyId: string; name: string | null; createdAt: string }>> {
    const rows = await this.queries.keysOf(accountId);
    return rows.map((row) => ({ keyId: row.key_id, name: row.name, createdAt: new Date(row.created_at).toISOString() }));
  }
}
