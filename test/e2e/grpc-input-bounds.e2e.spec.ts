/**
 * SPEC 12, hostile input over gRPC: every method refuses a request whose strings exceed their
 * bound (identifiers: the HTTP path-segment bound, 256; other text: 4096) with INVALID_ARGUMENT,
 * promptly and without echoing the value, and the channel keeps serving the calls after it.
 */
import { Client, credentials, Metadata, status as GrpcStatus, type ServiceError } from '@grpc/grpc-js';
import { MAX_GRPC_DETAIL_LENGTH } from '../../apps/ledger/src/grpc/grpc-status';
import { GrpcLedger, startGrpcLedger } from './grpc-harness';

const N = '+14155550188';
/** A bound for starting the service on a busy machine (a wait, not an assertion on time). */
const STARTUP_MS = 240_000;
/** A hang, on however busy a machine: the refusal comes far sooner (a bound, not a measure; under Jest's 60 s). */
const ANSWER_MS = 45_000;

describe('gRPC string bounds (PGlite)', () => {
  let ledger: GrpcLedger;
  const logSize = async () => (await ledger.runtime.stores.sql.query('SELECT count(*)::int AS n FROM ledger_events')).rows[0].n as number;

  /** The error of a call that must fail, raced against ANSWER_MS so a hang fails the test instead of timing it out. */
  async function refusal(service: 'Accounts' | 'Numbers' | 'Tasks' | 'Audits' | 'Services', method: string, request: object) {
    let timer: NodeJS.Timeout | undefined;
    const hang = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${service}/${method} did not answer within ${ANSWER_MS} ms`)), ANSWER_MS);
    });
    const call = ledger.grpc.call(service, method, request, { key: ledger.systemKey }).then(
      () => {
        throw new Error(`${service}/${method} succeeded`);
      },
      (e: ServiceError) => e,
    );
    try {
      const err = await Promise.race([call, hang]);
      return { code: err.code, errorCode: err.metadata?.get('ledger-error-code')[0], details: err.details };
    } finally {
      clearTimeout(timer);
    }
  }

  beforeAll(async () => {
    ledger = await startGrpcLedger('pglite');
    await ledger.grpc.call('Accounts', 'CreateAccount', { id: 'acme', name: 'Acme' }, { key: ledger.systemKey });
    await ledger.grpc.call('Numbers', 'AddNumber', { number: N, state: 'in_service', accountId: 'acme', carrierModule: 'knm_inventory' }, { key: ledger.systemKey });
  }, STARTUP_MS);

  afterAll(async () => {
    await ledger?.close();
  });

  it.each([
    ['Accounts', 'GetAccount', { id: 'x'.repeat(100_000) }, 'id', 256],
    ['Accounts', 'GetAccount', { id: 'x'.repeat(70_000) }, 'id', 256],
    ['Tasks', 'GetTask', { id: 'x'.repeat(100_000) }, 'id', 256],
    ['Audits', 'GetAudit', { id: 'x'.repeat(100_000) }, 'id', 256],
    ['Numbers', 'GetNumber', { number: 'x'.repeat(100_000) }, 'number', 256],
    ['Numbers', 'GetNumber', { number: N, asOf: 'x'.repeat(5_000) }, 'as_of', 4096],
    ['Numbers', 'ListNumbers', { cursor: 'x'.repeat(5_000) }, 'cursor', 4096],
    ['Numbers', 'AcquireNumber', { number: 'x'.repeat(100_000), accountId: 'acme' }, 'number', 256],
    ['Numbers', 'AcquireNumber', { number: N, accountId: 'x'.repeat(300) }, 'account_id', 256],
    ['Numbers', 'RunCollection', { action: 'release', numbers: [N, 'x'.repeat(300)] }, 'numbers.1', 256],
    ['Services', 'PutService', { accountId: 'acme', type: 'device', serviceId: 'd1', name: 'x'.repeat(5_000), numbers: [] }, 'name', 4096],
  ] as const)('%s/%s with a too long string: INVALID_ARGUMENT naming the field and the limit, promptly; the channel keeps serving', async (service, method, request, field, limit) => {
    const before = await logSize();
    const err = await refusal(service, method, request);
    expect(err).toMatchObject({ code: GrpcStatus.INVALID_ARGUMENT, errorCode: 'validation_failed' });
    expect(err.details).toBe(`${field} is longer than ${limit} characters`);
    expect(err.details).not.toContain('xxxxxxxxxx');
    expect(await logSize()).toBe(before);
    // The same channel (the harness keeps one client per service) answers the next call.
    const ok = await ledger.grpc.call('Numbers', 'GetNumber', { number: N }, { key: ledger.systemKey });
    expect(ok).toMatchObject({ number: N, state: 'in_service' });
    expect(await ledger.grpc.call('Accounts', 'GetAccount', { id: 'acme' }, { key: ledger.systemKey })).toMatchObject({ id: 'acme' });
  });

  it('still serves identifiers and text at their bounds (answered by the handlers, not the bounds)', async () => {
    expect(await refusal('Accounts', 'GetAccount', { id: 'x'.repeat(256) })).toMatchObject({ code: expect.any(Number) });
    const err = await refusal('Numbers', 'GetNumber', { number: '+1'.padEnd(256, '5') });
    expect(err.code).not.toBe(GrpcStatus.DEADLINE_EXCEEDED);
    expect(err.details.length).toBeLessThanOrEqual(MAX_GRPC_DETAIL_LENGTH);
  });

  it('bounds every grpc-message, whatever the handler would quote', async () => {
    // At the bound the id reaches the handler, which may quote it: the detail stays short.
    for (const [service, method, request] of [
      ['Accounts', 'GetAccount', { id: 'y'.repeat(256) }],
      ['Tasks', 'GetTask', { id: 'y'.repeat(256) }],
      ['Audits', 'GetAudit', { id: 'y'.repeat(256) }],
    ] as const) {
      const err = await refusal(service, method, request);
      expect(err.details.length).toBeLessThanOrEqual(MAX_GRPC_DETAIL_LENGTH);
    }
  });

  it('refuses bytes that are no message of the method with INVALID_ARGUMENT, not INTERNAL, and appends nothing', async () => {
    const before = await logSize();
    const raw = new Client(ledger.address, credentials.createInsecure());
    const metadata = new Metadata();
    metadata.set('authorization', `Bearer ${ledger.systemKey}`);
    const send = (bytes: Buffer) => new Promise<ServiceError>((resolve, reject) => {
      raw.makeUnaryRequest('/numbers.ledger.v1.Numbers/AddNumber', (b: Buffer) => b, (b: Buffer) => b, bytes, metadata, (err) => (err ? resolve(err) : reject(new Error('accepted'))));
    });
    try {
      // Garbage, and a double (wire type 1) where the number's string goes.
      for (const bytes of [Buffer.from('ffffffffff', 'hex'), Buffer.from('09000000000000f03f', 'hex')]) {
        const err = await send(bytes);
        expect([bytes.toString('hex'), err.code, err.metadata.get('ledger-error-code')[0]]).toEqual([bytes.toString('hex'), GrpcStatus.INVALID_ARGUMENT, 'validation_failed']);
      }
    } finally {
      raw.close();
    }
    expect(await logSize()).toBe(before);
  });
});
