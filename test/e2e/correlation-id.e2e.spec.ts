/**
 * SPEC 12: `x-request-id` is recorded as the events' correlation id, so it is checked like any
 * recorded value, the same way over HTTP and gRPC: at most 200 characters, no control character;
 * a refused request answers 400 problem+json / INVALID_ARGUMENT and appends nothing.
 */
import { status as GrpcStatus, type ServiceError } from '@grpc/grpc-js';
import { fromStruct } from '../../apps/ledger/src/grpc/struct';
import { GrpcLedger, startGrpcLedger } from './grpc-harness';

/** A bound for starting the service on a busy machine (a wait, not an assertion on time). */
const STARTUP_MS = 240_000;

describe('x-request-id bounds over HTTP and gRPC (PGlite)', () => {
  let ledger: GrpcLedger;
  let seq = 0;
  const fresh = () => `+1628${String(5000000 + ++seq * 7).padStart(7, '0')}`;
  const http = async (method: string, path: string, body: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${ledger.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${ledger.systemKey}`, 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, type: res.headers.get('content-type') ?? '', body: text ? JSON.parse(text) : null };
  };
  const history = async (n: string) => {
    const r = await http('GET', `/v1/numbers/${encodeURIComponent(n)}/history`, undefined);
    expect(r.status).toBe(200);
    return r.body.data as Array<{ type: string; metadata: Record<string, unknown> }>;
  };
  const available = async () => {
    const n = fresh();
    expect((await http('POST', '/v1/numbers', { number: n, state: 'available', carrierModule: 'knm_inventory' })).status).toBe(201);
    return n;
  };

  beforeAll(async () => {
    ledger = await startGrpcLedger('pglite');
    expect((await http('POST', '/v1/accounts', { id: 'acme', name: 'Acme' })).status).toBe(201);
  }, STARTUP_MS);

  afterAll(async () => {
    await ledger?.close();
  });

  describe('HTTP', () => {
    it.each([
      ['5,000 characters', 'r'.repeat(5_000), 'x-request-id is longer than 200 characters'],
      ['201 characters', 'r'.repeat(201), 'x-request-id is longer than 200 characters'],
      ['a tab', 'trace\tid', 'x-request-id holds a control character'],
    ])('refuses an acquire with an x-request-id of %s: 400 validation_failed, and the history gains no event', async (_what, id, detail) => {
      const n = await available();
      const before = await history(n);
      const r = await http('POST', `/v1/numbers/${encodeURIComponent(n)}/acquire`, { accountId: 'acme' }, { 'x-request-id': id });
      expect(r.status).toBe(400);
      expect(r.type).toContain('application/problem+json');
      expect(r.body).toMatchObject({ status: 400, code: 'validation_failed', detail });
      expect(JSON.stringify(r.body)).not.toContain('rrrrrrrrrr');
      expect(await history(n)).toEqual(before);
    });

    it.each([
      ['a UUID', '0b8e6f0e-4c1f-4a5e-9d0c-2b1f3e7a9c11'],
      ['a proxy trace id', 'Root=1-5e1b4151-5ac6c58f5b5dbd6a1c8b5a2f;Parent=53995c3f42cd8ad8;Sampled=1'],
      ['200 characters', 'r'.repeat(200)],
    ])('records %s as the correlation id', async (_what, id) => {
      const n = await available();
      const r = await http('POST', `/v1/numbers/${encodeURIComponent(n)}/acquire`, { accountId: 'acme' }, { 'x-request-id': id });
      expect(r.status).toBe(200);
      const events = await history(n);
      expect(events.at(-1)).toMatchObject({ type: 'NumberAcquired.v1', metadata: expect.objectContaining({ correlationId: id }) });
    });
  });

  describe('gRPC', () => {
    const acquire = (number: string, id?: string) => ledger.grpc.call('Numbers', 'AcquireNumber', { number, accountId: 'acme' },
      { key: ledger.systemKey, metadata: id === undefined ? {} : { 'x-request-id': id } });

    it.each([
      ['5,000 characters', 'r'.repeat(5_000), 'x-request-id is longer than 200 characters'],
      ['15,000 characters', 'r'.repeat(15_000), 'x-request-id is longer than 200 characters'],
      ['201 characters', 'r'.repeat(201), 'x-request-id is longer than 200 characters'],
    ])('refuses an acquire with an x-request-id of %s: INVALID_ARGUMENT, and the history gains no event', async (_what, id, detail) => {
      const n = await available();
      const before = await history(n);
      const err = await acquire(n, id).then(() => null, (e: ServiceError) => e);
      expect(err).toMatchObject({ code: GrpcStatus.INVALID_ARGUMENT, details: detail });
      expect(err?.metadata.get('ledger-error-code')).toEqual(['validation_failed']);
      expect(await history(n)).toEqual(before);
    });

    it('records a normal x-request-id, and a generated one when none is given', async () => {
      const n = await available();
      await acquire(n, 'trace-0b8e6f0e-4c1f-4a5e-9d0c-2b1f3e7a9c11');
      await ledger.grpc.call('Numbers', 'ReleaseNumber', { number: n }, { key: ledger.systemKey });
      const events = await ledger.grpc.stream('Numbers', 'GetNumberHistory', { number: n }, { key: ledger.systemKey });
      expect(fromStruct(events[1].metadata)).toMatchObject({ command: 'AcquireNumber', correlationId: 'trace-0b8e6f0e-4c1f-4a5e-9d0c-2b1f3e7a9c11' });
      expect(fromStruct(events[2].metadata).correlationId).toMatch(/^[0-9a-f-]{36}$/);
    });
  });
});
