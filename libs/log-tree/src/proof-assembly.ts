import { foldRight } from './compact-range';
import { Hash } from './hashing';
import { completeSubtrees, consistencyRanges, inclusionRanges, LeafRange, NodeRef } from './subtrees';

/**
 * A proof to be served from stored nodes: which nodes to read (one query), then how to
 * combine them. Each proof element is the hash of a leaf range, folded from its complete subtrees.
 */
export interface ProofPlan {
  ranges: LeafRange[];
  nodes: NodeRef[];
}

export function planInclusion(index: number, size: number): ProofPlan {
  return plan(inclusionRanges(index, size));
}

export function planConsistency(size1: number, size2: number): ProofPlan {
  return plan(consistencyRanges(size1, size2));
}

export function planRoot(size: number): ProofPlan {
  return plan(size === 0 ? [] : [{ start: 0, end: size }]);
}

function plan(ranges: LeafRange[]): ProofPlan {
  const seen = new Map<string, NodeRef>();
  for (const r of ranges) for (const n of completeSubtrees(r)) seen.set(nodeKey(n), n);
  return { ranges, nodes: [...seen.values()] };
}

export function nodeKey({ level, index }: NodeRef): string {
  return `${level}/${index}`;
}

/** The proof's hashes from the stored nodes the plan named; throws when one is missing. */
export function assembleProof(plan: ProofPlan, hashOf: (ref: NodeRef) => Hash | undefined): Hash[] {
  return plan.ranges.map((range) =>
    foldRight(completeSubtrees(range).map((ref) => {
      const hash = hashOf(ref);
      if (!hash) throw new Error(`node ${nodeKey(ref)} is not stored`);
      return hash;
    })),
  );
}
