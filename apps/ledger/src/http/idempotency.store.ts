import { SqlClient } from '../../../../libs/sql/src/sql-client';

export interface StoredResponse {
  requestHash: string;
  status: number;
  body: unknown;
  position: string | null;
}

/** Responses to POSTs sent with an Idempotency-Key, per account and key. */
export class IdempotencyStore {
  constructor(private readonly sql: SqlClient, private readonly schema: string) {}

  ddl(): string {
    return `CREATE TABLE IF NOT EXISTS ${this.schema}.idempotency_keys (
      account_id text NOT NULL, key text NOT NULL, request_hash text NOT NULL, status integer NOT NULL,
      body jsonb, position text, created_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (account_id, key))`;
  }

  async find(accountId: string, key: string): Promise<StoredResponse | null> {
    const r = await this.sql.query(
      `SELECT request_hash, status, body, position FROM ${this.schema}.idempotency_keys WHERE account_id = $1 AND key = $2`,
      [accountId, key],
    );
    const row = r.rows[0];
    return row ? { requestHash: row.request_hash, status: row.status, body: row.body, position: row.position } : null;
  }

  async save(accountId: string, key: string, response: StoredResponse): Promise<void> {
    await this.sql.query(
      `INSERT INTO ${this.schema}.idempotency_keys (account_id, key, request_hash, status, body, position)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (account_id, key) DO NOTHING`,
      [accountId, key, response.requestHash, response.status, JSON.stringify(response.body ?? null), response.position],
    );
  }
}
