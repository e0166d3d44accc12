/**
 * SPEC 12, issue 10: values no read model could hold are refused at the edge, over
 * HTTP and gRPC alike, with a 4xx problem, and append nothing; the service keeps
 * serving. SPEC 5: `features.allow: null` restores the default.
 */
import { status as GrpcStatus, type ServiceError } from '@grpc/grpc-js';
import { GrpcLedger, startGrpcLedger } from './grpc-harness';

const N = '+14155550177';

/** A bound for starting the service and seeding it on a busy machine (a wait, not an assertion on time). */
const STARTUP_MS = 240_000;

describe('hostile input over HTTP and gRPC (PGlite)', () => {
  let ledger: GrpcLedger;
  const logSize = async () => (await ledger.runtime.stores.sql.query('SELECT count(*)::int AS n FROM ledger_events')).rows[0].n as number;
  const http = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${ledger.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${ledger.systemKey}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, type: res.headers.get('content-type') ?? '', body: text ? JSON.parse(text) : null };
  };
  const grpcError = async (service: 'Accounts' | 'Numbers', method: string, request: object) => {
    const err = await ledger.grpc.call(service, method, request, { key: ledger.systemKey }).then(() => null, (e: ServiceError) => e);
    return { code: err?.code, errorCode: (err?.metadata)?.get('ledger-error-code')[0] };
  };

  beforeAll(async () => {
    ledger = await startGrpcLedger('pglite');
    expect((await http('POST', '/v1/accounts', { id: 'acme', name: 'Acme' })).status).toBe(201);
    expect((await http('POST', '/v1/numbers', { number: N, state: 'in_service', accountId: 'acme', carrierModule: 'knm_inventory' })).status).toBe(201);
  }, STARTUP_MS);

  afterAll(async () => {
    await ledger?.close();
  });

  it.each([['2147483648'], ['1e308'], ['-1'], ['1.5'], ['"x"']])(
    'refuses maxBillableNumbers %s with 400, appends nothing, and keeps serving',
    async (value) => {
      const before = await logSize();
      const r = await http('POST', '/v1/accounts', `{"name":"Big","maxBillableNumbers":${value}}`);
      expect(r.status).toBe(400);
      expect(r.type).toContain('application/problem+json');
      expect(r.body.code).toBe('validation_failed');
      expect(await logSize()).toBe(before);
      expect((await http('GET', '/ready')).status).toBe(200);
    },
  );

  it('records the largest maxBillableNumbers a read model holds, and the projections keep up', async () => {
    const r = await http('POST', '/v1/accounts', { id: 'largest', name: 'Largest', maxBillableNumbers: 2_147_483_647 });
    expect(r.status).toBe(201);
    expect(r.body.maxBillableNumbers).toBe(2_147_483_647);
    expect((await http('POST', '/v1/accounts', { id: 'after', name: 'After' })).status).toBe(201);
  });

  it.each([
    ['a 10 KB e911 street', { e911: { street_address: 'x'.repeat(10_000) } }],
    ['an e911 street over 128 characters', { e911: { street_address: 'x'.repeat(129) } }],
    ['an unknown e911 field', { e911: { planet: 'Mars' } }],
    ['a NUL in a prepend name', { prepend: { name: 'a\u0000' } }],
    ['a lone surrogate in a cnam name', '{"cnam":{"display_name":"a\\ud800"}}'],
    ['a nested ringback', { ringback: { early: { a: { b: 1 } } } }],
  ])('refuses feature settings with %s, appending nothing', async (_what, body) => {
    const before = await logSize();
    const r = await http('PATCH', `/v1/numbers/${encodeURIComponent(N)}/features`, body);
    expect(r.status).toBe(400);
    expect(r.body.code).toBe('validation_failed');
    expect(await logSize()).toBe(before);
  });

  it('restores the default feature list with features.allow: null (SPEC 5)', async () => {
    const emptied = await http('PUT', '/v1/config/number-manager', { features: { allow: [] } });
    expect(emptied.body).toEqual(expect.objectContaining({ features: { allow: [], deny: [] } }));
    const none = await http('GET', `/v1/numbers/${encodeURIComponent(N)}`);
    expect(none.body.features.available).toEqual([]);
    const restored = await http('PUT', '/v1/config/number-manager', { features: { allow: null } });
    expect(restored.status).toBe(200);
    expect(restored.body.features.allow).toBeNull();
    expect((await http('GET', '/v1/config/number-manager')).body.features.allow).toBeNull();
    expect((await http('GET', `/v1/numbers/${encodeURIComponent(N)}`)).body.features.available).toContain('e911');
    // a PUT that does not name allow keeps it
    expect((await http('PUT', '/v1/config/number-manager', { features: { deny: ['sms'] } })).body.features).toEqual({ allow: null, deny: ['sms'] });
  });

  it('refuses the same values over gRPC with INVALID_ARGUMENT and validation_failed, appending nothing', async () => {
    const before = await logSize();
    expect(await grpcError('Accounts', 'CreateAccount', { name: 'Ac\u0000me' })).toEqual({ code: GrpcStatus.INVALID_ARGUMENT, errorCode: 'validation_failed' });
    expect(await grpcError('Accounts', 'CreateAccount', { name: 'x'.repeat(201) })).toEqual({ code: GrpcStatus.INVALID_ARGUMENT, errorCode: 'validation_failed' });
    const huge = { fields: { e911: { structValue: { fields: { street_address: { stringValue: 'x'.repeat(10_000) } } } } } };
    expect(await grpcError('Numbers', 'SetFeatures', { number: N, changes: huge })).toEqual({ code: GrpcStatus.INVALID_ARGUMENT, errorCode: 'validation_failed' });
    expect(await logSize()).toBe(before);
  });

  it('pages the history over gRPC: limit, then the cursor on the last event', async () => {
    await http('PATCH', `/v1/numbers/${encodeURIComponent(N)}/features`, { prepend: { name: 'a' } });
    await http('PATCH', `/v1/numbers/${encodeURIComponent(N)}/features`, { prepend: { name: 'b' } });
    const all = await ledger.grpc.stream('Numbers', 'GetNumberHistory', { number: N }, { key: ledger.systemKey });
    expect(all.map((e: { revision: number }) => e.revision)).toEqual([0, 1, 2]);
    const page = await ledger.grpc.stream('Numbers', 'GetNumberHistory', { number: N, limit: 2 }, { key: ledger.systemKey });
    expect(page.map((e: { revision: number }) => e.revision)).toEqual([0, 1]);
    expect(page[0].nextCursor).toBeUndefined();
    const rest = await ledger.grpc.stream('Numbers', 'GetNumberHistory', { number: N, limit: 2, cursor: page[1].nextCursor }, { key: ledger.systemKey });
    expect(rest.map((e: { revision: number }) => e.revision)).toEqual([2]);
    expect(rest[0].nextCursor).toBeUndefined();
  });
});
