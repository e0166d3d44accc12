import { LedgerHarness, startLedger } from '../support/ledger-harness';

/** A bound on starting the service on a busy machine, not an expected duration. */
const START_LIMIT_MS = 180_000;

/** docs/idempotency.md over HTTP: kept failures are answered again, retryable ones free the key, another request is 422. */
describe('Idempotency-Key outcomes over HTTP (embedded PGlite)', () => {
  let ledger: LedgerHarness;
  const post = (path: string, body: unknown, key: string) => ledger.call('POST', path, { body, headers: { 'idempotency-key': key } });
  const history = async (n: string) => (await ledger.call('GET', `/v1/numbers/${encodeURIComponent(n)}/history`)).body.data ?? [];

  beforeAll(async () => {
    ledger = await startLedger('pglite');
    expect((await ledger.call('POST', '/v1/accounts', { body: { id: 'idem', name: 'Idem' } })).status).toBe(201);
  }, START_LIMIT_MS);
  afterAll(async () => ledger?.close());

  it('answers a domain refusal again instead of running the request a second time', async () => {
    const first = await post('/v1/numbers/+14155550400/acquire', { accountId: 'idem' }, 'acquire-400');
    expect([first.status, first.body.code]).toEqual([404, 'not_found']);
    expect((await post('/v1/numbers', { number: '+14155550400', state: 'available', carrierModule: 'knm_inventory' }, 'add-400')).status).toBe(201);

    const again = await post('/v1/numbers/+14155550400/acquire', { accountId: 'idem' }, 'acquire-400');
    expect(again.status).toBe(404);
    expect(again.headers.get('content-type')).toContain('application/problem+json');
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    expect((await history('+14155550400')).map((e: { type: string }) => e.type)).toEqual(['NumberAdded.v1']);

    const fresh = await post('/v1/numbers/+14155550400/acquire', { accountId: 'idem' }, 'acquire-400-b');
    expect([fresh.status, fresh.body.state]).toEqual([200, 'in_service']);
  });

  it('frees the key after a validation failure, and refuses it for another request once it is used', async () => {
    const invalid = await post('/v1/numbers', { number: '+14155550401', state: 'nonsense' }, 'add-401');
    expect(invalid.status).toBe(400);
    const fixed = await post('/v1/numbers', { number: '+14155550401', state: 'available', carrierModule: 'knm_inventory' }, 'add-401');
    expect(fixed.status).toBe(201);
    const other = await post('/v1/numbers', { number: '+14155550402', state: 'available', carrierModule: 'knm_inventory' }, 'add-401');
    expect([other.status, other.body.code]).toEqual([422, 'idempotency_key_reused']);
    expect(other.headers.get('content-type')).toContain('application/problem+json');
    expect(await history('+14155550402')).toEqual([]);
  });

  it('keeps the keys of a collection\'s numbers apart from any key a client can send', async () => {
    const n = '+14155550403';
    expect((await post('/v1/numbers', { number: n, state: 'available', carrierModule: 'knm_inventory' }, `add-${n}`)).status).toBe(201);
    const collection = await post('/v1/numbers/collection/reserve', { numbers: [n], accountId: 'idem' }, 'K1');
    expect(collection.status).toBe(200);
    // What the collection once derived for its number is now nothing but this request's own key.
    const single = await post(`/v1/numbers/${n}/acquire`, { accountId: 'idem' }, `K1:${n}`);
    expect([single.status, single.body.state]).toEqual([200, 'in_service']);
    expect((await history(n)).map((e: { type: string }) => e.type)).toEqual(['NumberAdded.v1', 'NumberReserved.v1', 'NumberAcquired.v1']);
  });
});
