import { AccountInfo } from '@ledger/domain/types';
import { SqlExecutor } from '@ledger/sql/sql-client';

/** A row of `accounts`, as the in-memory account tree reads it. */
export interface AccountRow {
  id: string;
  name: string;
  parent_id: string | null;
  reseller: boolean;
  super_admin: boolean;
  allow_number_additions: boolean;
  max_billable_numbers: number | null;
  features: AccountInfo['features'];
  path: string[];
}

export interface AccountKeyRow {
  key_id: string;
  name: string | null;
  created_at: string | Date;
}

/** Read side of the `accounts` read model: the account tree and the hashed API keys. */
export class AccountQueries {
  constructor(private readonly sql: SqlExecutor, private readonly schema: string) {}

  /** Every account, each with its path from the root. */
  async all(): Promise<AccountRow[]> {
    const r = await this.sql.query<AccountRow>(`SELECT * FROM ${this.schema}.accounts`);
    return r.rows;
  }

  /** The account's direct sub-accounts, by id. */
  async childrenOf(accountId: string): Promise<string[]> {
    const r = await this.sql.query<{ id: string }>(`SELECT id FROM ${this.schema}.accounts WHERE parent_id = $1 ORDER BY id`, [accountId]);
    return r.rows.map((row) => row.id);
  }

  /** The account and every account below it, by id. */
  async subtreeOf(accountId: string): Promise<string[]> {
    const r = await this.sql.query<{ id: string }>(`SELECT id FROM ${this.schema}.accounts WHERE $1 = ANY(path) ORDER BY id`, [accountId]);
    return r.rows.map((row) => row.id);
  }

  /** The account's ancestors, itself and its descendants, by id. */
  async lineageOf(accountId: string): Promise<string[]> {
    const s = this.schema;
    const r = await this.sql.query<{ id: string }>(
      `SELECT id FROM ${s}.accounts WHERE $1::text = ANY(path)
     UNION SELECT unnest(path) FROM ${s}.accounts WHERE id = $1::text
     UNION SELECT $1::text ORDER BY 1`,
      [accountId],
    );
    return r.rows.map((row) => row.id);
  }

  /** The reseller accounts, but `except`. */
  async resellers(except: string): Promise<string[]> {
    const r = await this.sql.query<{ id: string }>(`SELECT id FROM ${this.schema}.accounts WHERE reseller AND id <> $1`, [except]);
    return r.rows.map((row) => row.id);
  }

  /** The account a key (by its hash) belongs to, unless the key is revoked. */
  async accountOfKey(keyHash: string): Promise<string | undefined> {
    const r = await this.sql.query<{ account_id: string }>(
      `SELECT account_id FROM ${this.schema}.account_keys WHERE key_hash = $1 AND revoked_at IS NULL`,
      [keyHash],
    );
    return r.rows[0]?.account_id;
  }

  /** The account's keys that are not revoked, oldest first (never the hash). */
  async keysOf(accountId: string): Promise<AccountKeyRow[]> {
    const r = await this.sql.query<AccountKeyRow>(
      `SELECT key_id, name, created_at FROM ${this.schema}.account_keys WHERE account_id = $1 AND revoked_at IS NULL ORDER BY created_at, key_id`,
      [accountId],
    );
    return r.rows;
  }
}
