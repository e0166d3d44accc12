import { HttpException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { SqlClient } from '@ledger/sql/sql-client';
import { Problem } from '../core/problem';

export interface StoredResponse {
  requestHash: string;
  status: number;
  body: unknown;
  position: string | null;
}

export type KeptOutcome = Omit<StoredResponse, 'requestHash'>;

/** What the work is told about its claim: `resumed` when a dead owner's attempt came first (its events may be in the log). */
export interface Claim {
  resumed: boolean;
}

/** A kept failure answered again to a repeat of its request (rendered as the same problem). */
export class ReplayedProblem extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail);
    this.name = 'ReplayedProblem';
  }
}

const PENDING = 0;
const WAIT_FOR_FIRST_MS = 10_000;

/**
 * Requests sent with an Idempotency-Key (HTTP header or gRPC metadata), per account and key,
 * as Stripe does it (docs/idempotency.md): the first outcome of a request is kept and answered
 * again to every repeat, failures included, except those after which a retry may succeed
 * (`retryable`), which free the key. A claim belongs to a live owner (this store's instance):
 * it holds a lease that the owner renews while the request runs; a claim whose lease ran out
 * (its owner died) is taken over by the next repeat, told `resumed` so that it answers the
 * first attempt's events when they were committed (the key seeds the event ids).
 */
export class IdempotencyStore {
  /** This process's claims are its own; another instance (or this one after a restart) is another owner. */
  readonly owner = randomUUID();
  private readonly pauses: Map<string, 'claimed' | 'committed'>;

  constructor(
    private readonly sql: SqlClient,
    private readonly schema: string,
    /** The problem an error answers with (status, code), to decide whether it is kept. */
    private readonly problemOf: (err: unknown) => Problem,
    private readonly leaseMs = 10_000,
    testPause: string | null = null,
  ) {
    this.pauses = parsePauses(testPause);
  }

  ddl(): string {
    return `CREATE TABLE IF NOT EXISTS ${this.schema}.idempotency_keys (
      account_id text NOT NULL, key text NOT NULL, request_hash text NOT NULL, status integer NOT NULL,
      body jsonb, position text, created_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (account_id, key));
      ALTER TABLE ${this.schema}.idempotency_keys ADD COLUMN IF NOT EXISTS owner text;
      ALTER TABLE ${this.schema}.idempotency_keys ADD COLUMN IF NOT EXISTS lease_until timestamptz;`;
  }

  /**
   * Every claim still pending belongs to a dead process: only for a store no other process can
   * open (the embedded one, under its directory lock). Their leases end now, so a repeat takes over at once.
   */
  async expireAllClaims(): Promise<void> {
    await this.sql.query(`UPDATE ${this.schema}.idempotency_keys SET lease_until = '-infinity' WHERE status = ${PENDING}`);
  }

  /** A clean stop: this owner's claims end now (no request of this process is running any more). */
  async releaseOwnClaims(): Promise<void> {
    await this.sql.query(`UPDATE ${this.schema}.idempotency_keys SET lease_until = '-infinity' WHERE status = ${PENDING} AND owner = $1`, [this.owner]);
  }

  /**
   * Runs `work` once per key: a repeat with the same request gets the kept answer
   * (`replayed: true`; a kept failure is thrown again as ReplayedProblem), another request
   * with the key gets 422.
   */
  async once(
    accountId: string,
    key: string,
    requestHash: string,
    work: (claim: Claim) => Promise<KeptOutcome>,
  ): Promise<{ replayed: boolean; response: KeptOutcome }> {
    const claim = await this.claimOrAnswer(accountId, key, requestHash);
    if ('answer' in claim) {
      if (claim.answer.status >= 400) throw new ReplayedProblem(claim.answer.body as Problem);
      return { replayed: true, response: claim.answer };
    }
    const renewal = setInterval(() => void this.renew(accountId, key).catch(() => undefined), Math.max(50, Math.floor(this.leaseMs / 3)));
    renewal.unref(); // a request still running must not keep a stopping process alive
    try {
      await this.pauseFor('claimed', key);
      let response: KeptOutcome;
      try {
        response = await work(claim);
      } catch (err) {
        const problem = this.problemOf(err);
        if (retryable(problem)) await this.free(accountId, key);
        else await this.keep(accountId, key, { status: problem.status, body: problem, position: null });
        throw err;
      }
      await this.pauseFor('committed', key);
      await this.keep(accountId, key, response);
      return { replayed: false, response };
    } finally {
      clearInterval(renewal);
    }
  }

  /** A new claim, a dead owner's claim taken over, or the kept answer (waiting a bounded time for a live owner's). */
  private async claimOrAnswer(accountId: string, key: string, requestHash: string): Promise<Claim | { answer: KeptOutcome }> {
    const deadline = Date.now() + WAIT_FOR_FIRST_MS;
    for (;;) {
      const inserted = await this.sql.query(
        `INSERT INTO ${this.schema}.idempotency_keys (account_id, key, request_hash, status, owner, lease_until)
         VALUES ($1, $2, $3, ${PENDING}, $4, now() + $5 * interval '1 millisecond')
         ON CONFLICT (account_id, key) DO NOTHING`,
        [accountId, key, requestHash, this.owner, this.leaseMs],
      );
      if (inserted.rowCount === 1) return { resumed: false };
      const stored = await this.find(accountId, key);
      if (!stored) continue; // freed meanwhile: claim it
      if (stored.requestHash !== requestHash) {
        throw new HttpException({ code: 'idempotency_key_reused', detail: 'this Idempotency-Key was used with another request' }, 422);
      }
      if (stored.status !== PENDING) return { answer: { status: stored.status, body: stored.body, position: stored.position } };
      if (await this.takeOver(accountId, key)) return { resumed: true };
      if (Date.now() > deadline) {
        throw new HttpException({ code: 'concurrency_conflict', detail: 'a request with this Idempotency-Key is still running; retry' }, 409);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** The claim's owner stopped renewing it (it died): this owner continues its request. */
  private async takeOver(accountId: string, key: string): Promise<boolean> {
    const r = await this.sql.query(
      `UPDATE ${this.schema}.idempotency_keys SET owner = $3, lease_until = now() + $4 * interval '1 millisecond'
       WHERE account_id = $1 AND key = $2 AND status = ${PENDING} AND (lease_until IS NULL OR lease_until < now())`,
      [accountId, key, this.owner, this.leaseMs],
    );
    return r.rowCount === 1;
  }

  private async renew(accountId: string, key: string): Promise<void> {
    await this.sql.query(
      `UPDATE ${this.schema}.idempotency_keys SET lease_until = now() + $4 * interval '1 millisecond'
       WHERE account_id = $1 AND key = $2 AND status = ${PENDING} AND owner = $3`,
      [accountId, key, this.owner, this.leaseMs],
    );
  }

  private async keep(accountId: string, key: string, response: KeptOutcome): Promise<void> {
    await this.sql.query(
      `UPDATE ${this.schema}.idempotency_keys SET status = $3, body = $4, position = $5, lease_until = NULL
       WHERE account_id = $1 AND key = $2 AND status = ${PENDING}`,
      [accountId, key, response.status, JSON.stringify(response.body ?? null), response.position],
    );
  }

  private async free(accountId: string, key: string): Promise<void> {
    await this.sql.query(`DELETE FROM ${this.schema}.idempotency_keys WHERE account_id = $1 AND key = $2 AND status = ${PENDING}`, [accountId, key]);
  }

  private async find(accountId: string, key: string): Promise<StoredResponse | null> {
    const r = await this.sql.query<{ request_hash: string; status: number; body: unknown; position: string | null }>(
      `SELECT request_hash, status, body, position FROM ${this.schema}.idempotency_keys WHERE account_id = $1 AND key = $2`,
      [accountId, key],
    );
    const row = r.rows[0];
    return row ? { requestHash: row.request_hash, status: row.status, body: row.body, position: row.position } : null;
  }

  /** Tests only: holds this request at `stage` for good (the test kills the process there). */
  private async pauseFor(stage: 'claimed' | 'committed', key: string): Promise<void> {
    if (this.pauses.get(key) !== stage) return;
    process.stdout.write(`${JSON.stringify({ msg: 'ledger-test-pause', stage, key })}\n`);
    await new Promise<never>(() => undefined);
  }
}

/**
 * Answers after which the same request may succeed free the key instead of being kept:
 * a lost race, an unavailable store or carrier, any 5xx, a rate limit, and a request refused
 * by validation before anything ran (Stripe does not keep those either).
 */
export function retryable(problem: Pick<Problem, 'status' | 'code'>): boolean {
  return problem.status >= 500 || problem.status === 429 || problem.code === 'concurrency_conflict' || problem.code === 'validation_failed';
}

function parsePauses(spec: string | null): Map<string, 'claimed' | 'committed'> {
  const pauses = new Map<string, 'claimed' | 'committed'>();
  for (const part of (spec ?? '').split(',').filter(Boolean)) {
    const [stage, ...key] = part.split(':');
    if (stage === 'claimed' || stage === 'committed') pauses.set(key.join(':'), stage);
  }
  return pauses;
}
