import { HttpException } from '@nestjs/common';
import { SqlClient } from '../../../../libs/sql/src/sql-client';

export interface StoredResponse {
  requestHash: string;
  status: number;
  body: unknown;
  position: string | null;
}

const PENDING = 0;
const WAIT_FOR_FIRST_MS = 10_000;

/**
 * Requests sent with an Idempotency-Key (HTTP header or gRPC metadata), per account and key.
 * The first request claims the key before it runs, so a concurrent repeat waits for its
 * answer instead of running a second time.
 */
export class IdempotencyStore {
  constructor(private readonly sql: SqlClient, private readonly schema: string) {}

  ddl(): string {
    return `CREATE TABLE IF NOT EXISTS ${this.schema}.idempotency_keys (
      account_id text NOT NULL, key text NOT NULL, request_hash text NOT NULL, status integer NOT NULL,
      body jsonb, position text, created_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (account_id, key))`;
  }

  /**
   * Runs `work` once per key: a repeat with the same request gets the stored answer
   * (`replayed: true`), another request with the key gets 422. A failed first run frees the key.
   */
  async once(
    accountId: string,
    key: string,
    requestHash: string,
    work: () => Promise<Omit<StoredResponse, 'requestHash'>>,
  ): Promise<{ replayed: boolean; response: Omit<StoredResponse, 'requestHash'> }> {
    if (!(await this.claim(accountId, key, requestHash))) {
      return { replayed: true, response: await this.answerOf(accountId, key, requestHash) };
    }
    try {
      const response = await work();
      await this.sql.query(
        `UPDATE ${this.schema}.idempotency_keys SET status = $3, body = $4, position = $5 WHERE account_id = $1 AND key = $2`,
        [accountId, key, response.status, JSON.stringify(response.body ?? null), response.position],
      );
      return { replayed: false, response };
    } catch (err) {
      await this.sql.query(`DELETE FROM ${this.schema}.idempotency_keys WHERE account_id = $1 AND key = $2 AND status = ${PENDING}`, [accountId, key]);
      throw err;
    }
  }

  private async claim(accountId: string, key: string, requestHash: string): Promise<boolean> {
    const r = await this.sql.query(
      `INSERT INTO ${this.schema}.idempotency_keys (account_id, key, request_hash, status) VALUES ($1, $2, $3, ${PENDING})
       ON CONFLICT (account_id, key) DO NOTHING`,
      [accountId, key, requestHash],
    );
    return r.rowCount === 1;
  }

  /** The first request's answer, once it has one. */
  private async answerOf(accountId: string, key: string, requestHash: string): Promise<Omit<StoredResponse, 'requestHash'>> {
    const deadline = Date.now() + WAIT_FOR_FIRST_MS;
    for (;;) {
      const stored = await this.find(accountId, key);
      if (stored && stored.requestHash !== requestHash) {
        throw new HttpException({ code: 'idempotency_key_reused', detail: 'this Idempotency-Key was used with another request' }, 422);
      }
      if (stored && stored.status !== PENDING) return stored;
      if (!stored) throw new HttpException({ code: 'concurrency_conflict', detail: 'the first request with this Idempotency-Key failed; retry' }, 409);
      if (Date.now() > deadline) {
        throw new HttpException({ code: 'concurrency_conflict', detail: 'a request with this Idempotency-Key is still running; retry' }, 409);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  private async find(accountId: string, key: string): Promise<StoredResponse | null> {
    const r = await this.sql.query(
      `SELECT request_hash, status, body, position FROM ${this.schema}.idempotency_keys WHERE account_id = $1 AND key = $2`,
      [accountId, key],
    );
    const row = r.rows[0];
    return row ? { requestHash: row.request_hash, status: row.status, body: row.body, position: row.position } : null;
  }
}
