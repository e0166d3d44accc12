import { HttpException } from '@nestjs/common';
import { LedgerError } from '@ledger/domain/errors';
import { LogDivergedError } from './checkpoint-signer';
import { KeptCheckpoint, LogTreeStore, ProofRangeError } from './log-tree.store';

/** Store refusals as problem answers: a size beyond the tree is the caller's 400; a diverged tree is the operator's 503. */
export async function asProblem<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof ProofRangeError) throw new LedgerError('validation_failed', err.message);
    if (err instanceof LogDivergedError) throw new HttpException({ code: 'unavailable', detail: err.message }, 503);
    throw err;
  }
}

export function presentCheckpoint(c: KeptCheckpoint) {
  return { treeSize: c.treeSize, rootHash: c.rootHash.toString('base64'), origin: c.origin, signedAt: c.signedAt.toISOString(), note: c.note };
}

export interface HistoryEntryLike {
  position: string;
  /** Shown without accounts outside the caller's view: no proof (its leaf would let the caller test guesses of them). */
  redacted?: true;
}

/**
 * `history?proofs=<treeSize>`: each event with its leaf index and its inclusion proof in the
 * tree of that size (null for events the tree of that size does not hold yet, and for
 * redacted ones).
 */
export async function withInclusionProofs<E extends HistoryEntryLike>(
  store: LogTreeStore, history: { data: E[] }, treeSize: number,
) {
  return asProblem(async () => {
    const rootHash = await store.rootAt(treeSize);
    const leaves = await store.leavesAt(history.data.map((e) => e.position));
    const data = [];
    for (const e of history.data) {
      const leafIndex = leaves.get(e.position);
      const proof = leafIndex !== undefined && leafIndex < treeSize && !e.redacted ? await store.inclusionProof(leafIndex, treeSize) : null;
      data.push({ ...e, log: proof ? { leafIndex, inclusionProof: proof.map((h) => h.toString('base64')) } : null });
    }
    const kept = await store.checkpointAt(treeSize);
    return { ...history, data, log: { treeSize, rootHash: rootHash.toString('base64'), checkpoint: kept?.note ?? null } };
  });
}
