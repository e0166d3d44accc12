import { HttpException } from '@nestjs/common';
import { LedgerError } from '@ledger/domain/errors';
import { EventStoreUnavailableError } from '@ledger/event-store/port';
import { PgliteSqlClient } from '@ledger/sql/pglite-sql-client';
import { createMemoryDatabase } from '@ledger/sql/test/test-database';
import { Claim, IdempotencyStore, KeptOutcome, ReplayedProblem } from './idempotency.store';
import { ProblemFilter } from './problem.filter';

/** The Idempotency-Key rules (docs/idempotency.md) on a real PGlite database. */
describe('IdempotencyStore', () => {
  let sql: PgliteSqlClient;
  const problems = new ProblemFilter();
  const store = (leaseMs = 10_000) => new IdempotencyStore(sql, 'public', (err) => problems.toProblem(err), leaseMs);
  const created: KeptOutcome = { status: 201, body: { number: '+14155550100' }, position: '1:1' };
  let seq = 0;
  const freshKey = () => `key-${++seq}`;

  beforeAll(async () => {
    sql = await createMemoryDatabase();
    await sql.exec(store().ddl());
  });
  afterAll(async () => sql?.close());

  const claims = async (key: string) =>
    (await sql.query(`SELECT status, owner, lease_until FROM idempotency_keys WHERE key = $1`, [key])).rows;

  it('keeps a success and answers it again without running the work twice', async () => {
    const key = freshKey();
    const runs: Claim[] = [];
    const work = async (claim: Claim) => (runs.push(claim), created);
    expect(await store().once('acme', key, 'h', work)).toEqual({ replayed: false, response: created });
    expect(await store().once('acme', key, 'h', work)).toEqual({ replayed: true, response: created });
    expect(runs).toEqual([{ resumed: false }]);
  });

  it('keeps a domain failure and answers it again instead of running the request a second time', async () => {
    const key = freshKey();
    let runs = 0;
    const work = async (): Promise<KeptOutcome> => {
      runs++;
      if (runs === 1) throw new LedgerError('number_exists', '+14155550100 exists');
      return created;
    };
    await expect(store().once('acme', key, 'h', work)).rejects.toBeInstanceOf(LedgerError);
    const again = await store().once('acme', key, 'h', work).catch((e) => e);
    expect(again).toBeInstanceOf(ReplayedProblem);
    expect(problems.toProblem(again)).toMatchObject({ status: 409, code: 'number_exists', detail: '+14155550100 exists' });
    expect(runs).toBe(1);
  });

  it.each([
    ['a lost race', new LedgerError('concurrency_conflict', 'a concurrent change won')],
    ['a carrier fault', new LedgerError('carrier_fault', 'the carrier did not answer')],
    ['an unreachable store', new EventStoreUnavailableError('down')],
    ['an unexpected error', new Error('boom')],
    ['a validation failure', new HttpException({ code: 'validation_failed', detail: 'number is required' }, 400)],
  ])('frees the key after %s, so that a retry runs the request', async (_what, failure) => {
    const key = freshKey();
    let runs = 0;
    const work = async (): Promise<KeptOutcome> => {
      if (++runs === 1) throw failure;
      return created;
    };
    await expect(store().once('acme', key, 'h', work)).rejects.toBe(failure);
    expect(await claims(key)).toEqual([]);
    expect(await store().once('acme', key, 'h', work)).toEqual({ replayed: false, response: created });
    expect(runs).toBe(2);
  });

  it('refuses the key with another request (422), whatever the first outcome was', async () => {
    const ok = freshKey();
    await store().once('acme', ok, 'h', async () => created);
    const failed = freshKey();
    await store().once('acme', failed, 'h', async () => {
      throw new LedgerError('unauthorized', 'no');
    }).catch(() => undefined);
    for (const key of [ok, failed]) {
      const reused = await store().once('acme', key, 'other', async () => created).catch((e) => e);
      expect(problems.toProblem(reused)).toMatchObject({ status: 422, code: 'idempotency_key_reused' });
    }
  });

  it('takes over a claim whose owner stopped renewing it, telling the work it resumes', async () => {
    const key = freshKey();
    await sql.query(
      `INSERT INTO idempotency_keys (account_id, key, request_hash, status, owner, lease_until) VALUES ('acme', $1, 'h', 0, 'dead', now() - interval '1 second')`,
      [key],
    );
    const runs: Claim[] = [];
    const answer = await store().once('acme', key, 'h', async (claim) => (runs.push(claim), created));
    expect(answer).toEqual({ replayed: false, response: created });
    expect(runs).toEqual([{ resumed: true }]);
  });

  it('takes over claims left by an older version, which had no owner', async () => {
    const key = freshKey();
    await sql.query(`INSERT INTO idempotency_keys (account_id, key, request_hash, status) VALUES ('acme', $1, 'h', 0)`, [key]);
    const runs: Claim[] = [];
    await store().once('acme', key, 'h', async (claim) => (runs.push(claim), created));
    expect(runs).toEqual([{ resumed: true }]);
  });

  it('renews the lease of a live owner, and a repeat meanwhile gets its answer instead of running again', async () => {
    const key = freshKey();
    const owner = store(3_000); // renewed well within it, however busy the machine; a 300 ms lease could lapse in one stall
    let finish!: () => void;
    const finished = new Promise<void>((r) => (finish = r));
    const first = owner.once('acme', key, 'h', async () => (await finished, created));
    const [claimed] = await waitFor(async () => (await claims(key)).filter((c) => c.owner === owner.owner));
    // Renewed: the lease moves on while the request runs.
    await waitFor(async () => (await claims(key)).filter((c) => new Date(c.lease_until) > new Date(claimed.lease_until)));
    let repeatRan = false;
    const repeat = store().once('acme', key, 'h', async () => ((repeatRan = true), created));
    finish();
    expect(await first).toEqual({ replayed: false, response: created });
    expect(await repeat).toEqual({ replayed: true, response: created });
    expect(repeatRan).toBe(false);
  });

  it('ends every claim at once where no other process can be running (the embedded store under its lock)', async () => {
    const key = freshKey();
    void store().once('acme', key, 'h', () => new Promise<KeptOutcome>(() => undefined)); // never answers: its process "died"
    await waitFor(async () => claims(key));
    await store().expireAllClaims();
    const runs: Claim[] = [];
    await store().once('acme', key, 'h', async (claim) => (runs.push(claim), created));
    expect(runs).toEqual([{ resumed: true }]);
  });
});

/** Polls until `found` returns rows (a bounded wait for an event, not a measure of time). */
async function waitFor<T>(found: () => Promise<T[]>): Promise<T[]> {
  for (let i = 0; i < 500; i++) {
    const rows = await found();
    if (rows.length > 0) return rows;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('the condition never held');
}
