import { request } from 'node:http';
import { status } from '@grpc/grpc-js';
import { GrpcLedger, startGrpcLedger } from './grpc-harness';

/** SPEC 12: key guessing is throttled per client; keys can be listed and revoked, on HTTP and gRPC alike. */
export function describeKeyScenarios(kind: 'pglite' | 'postgres'): void {
describe(`account keys and failed authentication (${kind})`, () => {
  let ledger: GrpcLedger;
  /** A request from the loopback source address `from` (each address is another client). */
  const http = (method: string, path: string, key: string | null, body?: unknown, from = '127.0.0.1') =>
    new Promise<{ status: number; headers: Map<string, string>; body: any; text: string }>((resolve, reject) => {
      const headers: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json' };
      if (key) headers.authorization = `Bearer ${key}`;
      const req = request(`${ledger.httpBase}${path}`, { method, headers, localAddress: from }, (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({
          status: res.statusCode ?? 0,
          headers: new Map(Object.entries(res.headers).map(([k, v]) => [k, String(v)])),
          body: text ? JSON.parse(text) : null,
          text,
        }));
      });
      req.on('error', reject);
      req.end(body === undefined ? undefined : JSON.stringify(body));
    });
  const grpcOutcome = (call: Promise<unknown>) => call.then(
    (reply) => ({ code: status.OK, reply, metadata: null as any }),
    (e: any) => ({ code: e.code as status, reply: null, metadata: e.metadata, details: e.details as string }),
  );

  beforeAll(async () => {
    ledger = await startGrpcLedger(kind);
    expect((await http('POST', '/v1/accounts', ledger.systemKey, { id: 'acme', name: 'Acme' })).status).toBe(201);
  });
  afterAll(async () => ledger?.close());

  it('gRPC refusals and number views name no other tenant', async () => {
    const sys = (method: string, path: string, body?: unknown) => http(method, path, ledger.systemKey, body, '127.0.0.5');
    expect((await sys('POST', '/v1/accounts', { id: 'rivalco', name: 'Rival' })).status).toBe(201);
    const mine = (await sys('POST', '/v1/accounts/acme/keys', { name: 'mine' })).body.key;
    const held = '+17205551001';
    const before = '+17205551002';
    expect((await sys('POST', '/v1/numbers', { number: held, state: 'in_service', carrierModule: 'knm_inventory', accountId: 'rivalco' })).status).toBe(201);
    expect((await sys('POST', '/v1/numbers', { number: before, state: 'in_service', carrierModule: 'knm_inventory', accountId: 'rivalco' })).status).toBe(201);
    expect((await sys('POST', `/v1/numbers/${encodeURIComponent(before)}/release`, {})).status).toBe(200);
    expect((await sys('POST', `/v1/numbers/${encodeURIComponent(before)}/age`, { force: true })).body.state).toBe('available');
    for (const [service, method, request] of [
      ['Numbers', 'AcquireNumber', { number: held, accountId: 'acme' }],
      ['Numbers', 'ReserveNumber', { number: held, accountId: 'acme' }],
      ['Numbers', 'GetNumber', { number: held }],
    ] as const) {
      const refused = await grpcOutcome(ledger.grpc.call(service, method, request, { key: mine }));
      expect(refused.code).toBe(status.PERMISSION_DENIED);
      expect(JSON.stringify([(refused as any).details, refused.metadata?.getMap()])).not.toContain('rivalco');
    }
    const http403 = await http('POST', `/v1/numbers/${encodeURIComponent(held)}/acquire`, mine, { accountId: 'acme' }, '127.0.0.5');
    expect(http403.status).toBe(403);
    expect(http403.text).not.toContain('rivalco');
    // a number another tenant held before: its previous holder is not shown
    const seen: any = await ledger.grpc.call('Numbers', 'GetNumber', { number: before }, { key: mine });
    expect(JSON.stringify(seen)).not.toContain('rivalco');
    expect((await http('GET', `/v1/numbers/${encodeURIComponent(before)}`, mine, undefined, '127.0.0.5')).text).not.toContain('rivalco');
    expect((await http('GET', `/v1/numbers/${encodeURIComponent(before)}`, ledger.systemKey, undefined, '127.0.0.5')).body.prevAssignedTo).toBe('rivalco');
  });

  // first: the throttle test below spends the budget of the address the gRPC client calls from
  it('lists keys without secrets and refuses a revoked key at once, on HTTP and gRPC', async () => {
    const issued = (await http('POST', '/v1/accounts/acme/keys', ledger.systemKey, { name: 'leaked' }, '127.0.0.3')).body;
    const other = (await http('POST', '/v1/accounts/acme/keys', ledger.systemKey, { name: 'kept' }, '127.0.0.3')).body;
    const listed = await http('GET', '/v1/accounts/acme/keys', issued.key, undefined, '127.0.0.3');
    expect(listed.status).toBe(200);
    expect(listed.body.data).toEqual(expect.arrayContaining([
      { keyId: issued.keyId, name: 'leaked', createdAt: expect.any(String) },
      { keyId: other.keyId, name: 'kept', createdAt: expect.any(String) },
    ]));
    expect(listed.text).not.toContain(issued.key);
    expect(listed.text).not.toMatch(/[0-9a-f]{64}/);
    const grpcListed: any = await ledger.grpc.call('Accounts', 'ListAccountKeys', { id: 'acme' }, { key: other.key });
    expect(grpcListed.data.map((k: any) => k.keyId)).toEqual(expect.arrayContaining([issued.keyId, other.keyId]));

    expect((await http('DELETE', `/v1/accounts/acme/keys/${issued.keyId}`, other.key, undefined, '127.0.0.3')).status).toBe(204);
    expect((await http('GET', '/v1/accounts/acme', issued.key, undefined, '127.0.0.3')).status).toBe(401);
    expect((await grpcOutcome(ledger.grpc.call('Accounts', 'GetAccount', { id: 'acme' }, { key: issued.key }))).code).toBe(status.UNAUTHENTICATED);
    expect((await http('GET', '/v1/accounts/acme', other.key, undefined, '127.0.0.3')).status).toBe(200);
    expect((await http('DELETE', `/v1/accounts/acme/keys/${issued.keyId}`, other.key, undefined, '127.0.0.3')).status).toBe(404);

    const third = (await http('POST', '/v1/accounts/acme/keys', ledger.systemKey, { name: 'third' }, '127.0.0.3')).body;
    const revoked: any = await ledger.grpc.call('Accounts', 'RevokeAccountKey', { accountId: 'acme', keyId: third.keyId }, { key: ledger.systemKey });
    expect(revoked.position).toMatch(/^\d+:\d+$/);
    expect((await http('GET', '/v1/accounts/acme', third.key, undefined, '127.0.0.3')).status).toBe(401);
  });

  it('answers 429 with Retry-After after repeated wrong keys, while a valid key keeps working', async () => {
    const valid = (await http('POST', '/v1/accounts/acme/keys', ledger.systemKey, { name: 'ops' })).body.key;
    const seen: number[] = [];
    for (let i = 0; i < 12; i++) seen.push((await http('GET', '/v1/accounts/acme', `nlk_wrong${i}`, undefined, '127.0.0.4')).status);
    expect(seen.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(seen.slice(10)).toEqual([429, 429]);
    const refused = await http('GET', '/v1/accounts/acme', 'nlk_wrong-again', undefined, '127.0.0.4');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.body.code).toBe('too_many_requests');
    expect((await http('GET', '/v1/accounts/acme', valid, undefined, '127.0.0.4')).status).toBe(200);
    // another client (another address) keeps its own budget
    expect((await http('GET', '/v1/accounts/acme', 'nlk_wrong', undefined, '127.0.0.2')).status).toBe(401);
    // gRPC (its client calls from 127.0.0.1): UNAUTHENTICATED, then RESOURCE_EXHAUSTED with retry-after; a valid key still answered
    const codes: status[] = [];
    for (let i = 0; i < 11; i++) codes.push((await grpcOutcome(ledger.grpc.call('Accounts', 'GetAccount', { id: 'acme' }, { key: 'nlk_wrong' }))).code);
    expect(codes[0]).toBe(status.UNAUTHENTICATED);
    expect(codes[10]).toBe(status.RESOURCE_EXHAUSTED);
    const grpcRefused = await grpcOutcome(ledger.grpc.call('Accounts', 'GetAccount', { id: 'acme' }, { key: 'nlk_wrong' }));
    expect(grpcRefused.code).toBe(status.RESOURCE_EXHAUSTED);
    expect(Number(grpcRefused.metadata.get('retry-after')[0])).toBeGreaterThan(0);
    expect((await grpcOutcome(ledger.grpc.call('Accounts', 'GetAccount', { id: 'acme' }, { key: valid }))).code).toBe(status.OK);
    const metrics = await (await fetch(`${ledger.httpBase}/metrics`)).text();
    expect(metrics).toMatch(/ledger_auth_throttled_total\{transport="http"\} [1-9]/);
    expect(metrics).toMatch(/ledger_auth_throttled_total\{transport="grpc"\} [1-9]/);
  });
});
}
