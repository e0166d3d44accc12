import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { SYSTEM_ACCOUNT_ID } from '../../../../libs/domain/src/account-events';
import { Requester } from '../../../../libs/domain/src/types';
import { SqlClient } from '../../../../libs/sql/src/sql-client';

export const hashKey = (key: string): string => createHash('sha256').update(key).digest('hex');
export const newAccountKey = (): string => `nlk_${randomBytes(24).toString('base64url')}`;

/** Resolves a bearer key to the requester: the system key, or an account key (stored hashed). */
export class KeyRing {
  private readonly known = new Map<string, string>();
  private readonly systemKeyBytes: Buffer;

  constructor(private readonly sql: SqlClient, private readonly schema: string, systemKey: string) {
    this.systemKeyBytes = Buffer.from(systemKey);
  }

  async resolve(key: string): Promise<Requester | null> {
    const bytes = Buffer.from(key);
    if (bytes.length === this.systemKeyBytes.length && timingSafeEqual(bytes, this.systemKeyBytes)) {
      return { accountId: SYSTEM_ACCOUNT_ID, isSystem: true };
    }
    const hash = hashKey(key);
    let accountId = this.known.get(hash);
    if (!accountId) {
      const r = await this.sql.query<{ account_id: string }>(
        `SELECT account_id FROM ${this.schema}.account_keys WHERE key_hash = $1`,
        [hash],
      );
      accountId = r.rows[0]?.account_id;
      if (accountId) this.known.set(hash, accountId);
    }
    return accountId ? { accountId, isSystem: false } : null;
  }
}
