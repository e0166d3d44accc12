import { ServiceError, status } from '@grpc/grpc-js';
import { createPublicKey, verify } from 'node:crypto';
import { parseCheckpointText, verifyConsistency, verifyInclusion, leafHash, entryBytes, logEntryOf } from '@ledger/log-tree';
import { START } from '@ledger/event-store/port';
import { GrpcLedger, startGrpcLedger } from './grpc-harness';
import { listServicesByReflection } from './grpc-reflection-client';

/** numbers.ledger.v1.Log: the /v1/log use cases over gRPC, same rules and answers. */
describe('verifiable history over gRPC (embedded PGlite)', () => {
  let ledger: GrpcLedger;
  const log = (method: string, request: object, key: string | null = ledger.systemKey) => ledger.grpc.call('Log', method, request, { key: key ?? undefined });
  const code = (call: Promise<unknown>) => call.then(() => status.OK, (e: ServiceError) => e.code);

  beforeAll(async () => {
    ledger = await startGrpcLedger('pglite');
    for (const n of ['6283001000', '6283001001', '6283001002']) {
      await ledger.grpc.call('Numbers', 'AddNumber', { number: n, state: 'available', carrierModule: 'knm_inventory' }, { key: ledger.systemKey });
    }
    expect(await ledger.runtime.projector.reachHead()).toBe(true);
  }, 120_000);

  afterAll(async () => ledger?.close());

  it('signs and serves checkpoints and proofs that verify with the served key', async () => {
    const signed = await log('SignCheckpoint', {});
    const latest = await log('GetCheckpoint', {});
    expect(latest).toEqual(signed);
    expect((await log('ListCheckpoints', { limit: 5 })).data).toEqual([signed]);
    const key = await log('GetPublicKey', {}, null);
    const note: string = signed.note;
    const text = note.slice(0, note.indexOf('\n\n') + 1);
    const sig = Buffer.from(note.slice(text.length + 1).trim().split(' ')[2], 'base64').subarray(4);
    expect(verify(null, Buffer.from(text), createPublicKey(key.publicKeyPem), sig)).toBe(true);
    const cp = parseCheckpointText(text)!;
    expect(cp.size).toBe(signed.treeSize);

    const events = await ledger.runtime.stores.events.readAll(START, 1000);
    const last = events[events.length - 1];
    const proof = await log('GetInclusionProof', { position: last.position, treeSize: cp.size });
    expect(proof.leafIndex).toBe(cp.size - 1);
    const leaf = leafHash(entryBytes(logEntryOf(last)));
    expect(verifyInclusion(proof.leafIndex, cp.size, leaf, proof.inclusionProof.map((h: string) => Buffer.from(h, 'base64')), cp.rootHash)).toBe(true);

    const consistency = await log('GetConsistencyProof', { from: 1, to: cp.size });
    const first = Buffer.from((await ledger.httpGet(`/v1/log/proofs/inclusion?position=${events[0].position}&treeSize=1`, ledger.systemKey)).body.rootHash, 'base64');
    expect(verifyConsistency(1, cp.size, first, cp.rootHash, consistency.consistencyProof.map((h: string) => Buffer.from(h, 'base64')))).toBe(true);
  });

  it('refuses bad requests and missing keys with gRPC status codes', async () => {
    expect(await code(log('GetConsistencyProof', { from: 0, to: 1 }))).toBe(status.INVALID_ARGUMENT);
    expect(await code(log('GetInclusionProof', { position: 'nope', treeSize: 1 }))).toBe(status.INVALID_ARGUMENT);
    expect(await code(log('GetCheckpoint', {}, null))).toBe(status.UNAUTHENTICATED);
    expect(await listServicesByReflection(ledger.address)).toEqual(expect.arrayContaining(['numbers.ledger.v1.Log']));
  });
});
