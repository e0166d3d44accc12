import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import type { CarrierCredentials } from '@ledger/carriers';
import { SqlClient } from '@ledger/sql/sql-client';
import type { SealedCredentials } from '@ledger/domain/carrier-settings/events';

/** Credentials as events record them: AES-256-GCM under the scope's data key `keyId` (base64 parts). */
export type { SealedCredentials };

const ALGORITHM = 'aes-256-gcm';

function encrypt(key: Buffer, plain: Buffer, aad: string): { iv: string; data: string; tag: string } {
  const iv = randomBytes(12);
  const cipher = createCipheriv(ALGORITHM, key, iv).setAAD(Buffer.from(aad));
  const data = Buffer.concat([cipher.update(plain), cipher.final()]);
  return { iv: iv.toString('base64'), data: data.toString('base64'), tag: cipher.getAuthTag().toString('base64') };
}

function decrypt(key: Buffer, sealed: { iv: string; data: string; tag: string }, aad: string): Buffer {
  const decipher = createDecipheriv(ALGORITHM, key, Buffer.from(sealed.iv, 'base64')).setAAD(Buffer.from(aad));
  decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]);
}

/**
 * Envelope encryption of carrier credentials (SPEC 12). Each settings scope
 * (system, each reseller) has a data key, kept outside the log in
 * `carrier_data_keys`, itself sealed under the operator's key. Destroying a
 * scope's data keys (`shred`) leaves every sealed copy in the history unreadable.
 */
export class CredentialSeal {
  constructor(
    private readonly sql: SqlClient,
    private readonly schema: string,
    private readonly operatorKey: Buffer,
    private readonly previousOperatorKey: Buffer | null = null,
  ) {}

  ddl(): string {
    return `CREATE TABLE IF NOT EXISTS ${this.schema}.carrier_data_keys (
      key_id text PRIMARY KEY,
      scope text NOT NULL,
      sealed_key jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`;
  }

  async seal(scope: string, aad: string, credentials: CarrierCredentials): Promise<SealedCredentials> {
    const { keyId, key } = await this.currentKey(scope);
    return { keyId, ...encrypt(key, Buffer.from(JSON.stringify(credentials)), `${scope}\u0000${aad}`) };
  }

  /** The credentials, or null when their data key was destroyed (or they do not open). */
  async open(scope: string, aad: string, sealed: SealedCredentials): Promise<CarrierCredentials | null> {
    const key = await this.dataKey(sealed.keyId, scope);
    if (!key) return null;
    try {
      return JSON.parse(decrypt(key, sealed, `${scope}\u0000${aad}`).toString('utf8')) as CarrierCredentials;
    } catch {
      return null;
    }
  }

  /** Destroys every data key of the scope: its sealed credentials can never be read again. */
  async shred(scope: string): Promise<number> {
    const r = await this.sql.query(`DELETE FROM ${this.schema}.carrier_data_keys WHERE scope = $1`, [scope]);
    return r.rowCount ?? 0;
  }

  /** Re-seals every data key under the current operator key (after a rotation that kept the previous one). */
  async resealAll(): Promise<number> {
    const r = await this.sql.query<{ key_id: string; scope: string; sealed_key: { iv: string; data: string; tag: string } }>(
      `SELECT key_id, scope, sealed_key FROM ${this.schema}.carrier_data_keys`,
    );
    let resealed = 0;
    for (const row of r.rows) {
      if (this.unwrap(row.sealed_key, row.key_id, this.operatorKey)) continue;
      const key = this.previousOperatorKey && this.unwrap(row.sealed_key, row.key_id, this.previousOperatorKey);
      if (!key) continue;
      await this.sql.query(`UPDATE ${this.schema}.carrier_data_keys SET sealed_key = $2 WHERE key_id = $1`, [row.key_id, JSON.stringify(encrypt(this.operatorKey, key, row.key_id))]);
      resealed++;
    }
    return resealed;
  }

  private async currentKey(scope: string): Promise<{ keyId: string; key: Buffer }> {
    const r = await this.sql.query<{ key_id: string }>(
      `SELECT key_id FROM ${this.schema}.carrier_data_keys WHERE scope = $1 ORDER BY created_at DESC, key_id LIMIT 1`, [scope],
    );
    const existing = r.rows[0] && (await this.dataKey(r.rows[0].key_id, scope));
    if (existing) return { keyId: r.rows[0].key_id, key: existing };
    const keyId = randomUUID();
    const key = randomBytes(32);
    await this.sql.query(
      `INSERT INTO ${this.schema}.carrier_data_keys (key_id, scope, sealed_key) VALUES ($1, $2, $3)`,
      [keyId, scope, JSON.stringify(encrypt(this.operatorKey, key, keyId))],
    );
    return { keyId, key };
  }

  private async dataKey(keyId: string, scope: string): Promise<Buffer | null> {
    const r = await this.sql.query<{ sealed_key: { iv: string; data: string; tag: string } }>(
      `SELECT sealed_key FROM ${this.schema}.carrier_data_keys WHERE key_id = $1 AND scope = $2`, [keyId, scope],
    );
    const sealed = r.rows[0]?.sealed_key;
    if (!sealed) return null;
    return this.unwrap(sealed, keyId, this.operatorKey) ?? (this.previousOperatorKey ? this.unwrap(sealed, keyId, this.previousOperatorKey) : null);
  }

  private unwrap(sealed: { iv: string; data: string; tag: string }, keyId: string, operatorKey: Buffer): Buffer | null {
    try {
      return decrypt(operatorKey, sealed, keyId);
    } catch {
      return null;
    }
  }
}
