import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { LedgerError } from '@ledger/domain/errors';
import { Requester } from '@ledger/domain/types';
import { LogReader } from '../log-reader';
import { wholeParam } from '../../core/query-params';
import { asProblem } from '../log-proofs';

export interface InclusionProof { position: string; leafIndex: number; treeSize: number; rootHash: string; inclusionProof: string[] }
export interface ConsistencyProof { from: number; to: number; consistencyProof: string[] }

/** Inclusion proof of the event at a log position in the tree of treeSize leaves (admins); parameters as given. */
export class InclusionProofQuery extends Query<InclusionProof> {
  constructor(readonly requester: Requester, readonly position?: string, readonly treeSize?: string) {
    super();
  }
}

/** Consistency proof between the trees of from and to leaves (RFC 6962 PROOF); parameters as given. */
export class ConsistencyProofQuery extends Query<ConsistencyProof> {
  constructor(readonly from?: string, readonly to?: string) {
    super();
  }
}

@QueryHandler(InclusionProofQuery)
export class InclusionProofHandler extends LogReader implements IQueryHandler<InclusionProofQuery, InclusionProof> {
  async execute({ requester, position, treeSize }: InclusionProofQuery): Promise<InclusionProof> {
    this.adminOnly(requester, 'read inclusion proofs by position');
    if (typeof position !== 'string' || !/^\d{1,20}:\d{1,20}$/.test(position)) throw new LedgerError('validation_failed', 'position must be a log position "<major>:<minor>"');
    const size = wholeParam('treeSize', treeSize, 1);
    const leafIndex = (await this.log.store.leavesAt([position])).get(position);
    if (leafIndex === undefined) throw new LedgerError('not_found', `no event at ${position} in the log tree`);
    const proof = await asProblem(() => this.log.store.inclusionProof(leafIndex, size));
    const rootHash = await asProblem(() => this.log.store.rootAt(size));
    return { position, leafIndex, treeSize: size, rootHash: rootHash.toString('base64'), inclusionProof: proof.map((h) => h.toString('base64')) };
  }
}

@QueryHandler(ConsistencyProofQuery)
export class ConsistencyProofHandler extends LogReader implements IQueryHandler<ConsistencyProofQuery, ConsistencyProof> {
  async execute({ from, to }: ConsistencyProofQuery): Promise<ConsistencyProof> {
    const first = wholeParam('from', from, 1);
    const second = wholeParam('to', to, 1);
    const proof = await asProblem(() => this.log.store.consistencyProof(first, second));
    return { from: first, to: second, consistencyProof: proof.map((h) => h.toString('base64')) };
  }
}
