import { Hash, nodeHash } from './hashing';
import { nodeKey } from './proof-assembly';
import { NodeRef } from './subtrees';

/**
 * Where a store keeps a tree's hashes: each leaf's hash beside the leaf, and the nodes of
 * level BLOCK_LEVEL and above as nodes. A node below (a subtree of fewer than BLOCK_SIZE
 * leaves, inside one aligned block of BLOCK_SIZE leaves) is recomputed from its block's
 * leaves when a proof needs it: a proof touches at most two blocks (its leaf's or its smaller
 * tree's edge, and its tree's edge), and the store writes about 1/8 of a node per leaf
 * instead of two rows.
 */
export const BLOCK_LEVEL = 4;
export const BLOCK_SIZE = 2 ** BLOCK_LEVEL;

export function isStoredNode(ref: NodeRef): boolean {
  return ref.level >= BLOCK_LEVEL;
}

/** The blocks (leaf index / BLOCK_SIZE) whose leaves make the nodes of `refs` that are not stored, ascending. */
export function blocksOf(refs: NodeRef[]): number[] {
  const blocks = new Set<number>();
  for (const ref of refs) if (!isStoredNode(ref)) blocks.add(Math.floor((ref.index * 2 ** ref.level) / BLOCK_SIZE));
  return [...blocks].sort((a, b) => a - b);
}

/**
 * The hash of each of `refs` from what a store read: the stored nodes (by `nodeKey`) and the
 * leaves of the blocks that `blocksOf(refs)` named (by leaf index). Undefined for a node
 * neither there nor computable from leaves that are there.
 */
export function nodeLookup(stored: Map<string, Hash>, leaves: Map<number, Hash>): (ref: NodeRef) => Hash | undefined {
  return (ref) => (isStoredNode(ref) ? stored.get(nodeKey(ref)) : fromLeaves(ref, leaves));
}

/** MTH of the complete subtree `ref` from its 2^level leaves, level by level. */
function fromLeaves({ level, index }: NodeRef, leaves: Map<number, Hash>): Hash | undefined {
  const first = index * 2 ** level;
  let row: Hash[] = [];
  for (let i = 0; i < 2 ** level; i++) {
    const leaf = leaves.get(first + i);
    if (!leaf) return undefined;
    row.push(leaf);
  }
  while (row.length > 1) {
    const next: Hash[] = [];
    for (let i = 0; i < row.length; i += 2) next.push(nodeHash(row[i], row[i + 1]));
    row = next;
  }
  return row[0];
}
