import { emptyRoot, Hash, nodeHash } from './hashing';
import { NodeRef, peaks } from './subtrees';

export interface StoredNode extends NodeRef {
  hash: Hash;
}

/**
 * The right edge of a tree: the hashes of its peaks (complete subtrees, largest first).
 * Enough to append leaves and to compute the root, without the rest of the tree.
 */
export class CompactRange {
  private constructor(
    private treeSize: number,
    private readonly peakHashes: Hash[],
  ) {}

  static empty(): CompactRange {
    return new CompactRange(0, []);
  }

  /** From the stored hashes of `peaks(size)`, in that order. */
  static of(size: number, peakHashes: Hash[]): CompactRange {
    if (peakHashes.length !== peaks(size).length) throw new Error(`a tree of ${size} has ${peaks(size).length} peaks, not ${peakHashes.length}`);
    return new CompactRange(size, [...peakHashes]);
  }

  get size(): number {
    return this.treeSize;
  }

  /** The peaks' hashes, largest subtree first (what `of` takes back). */
  get peaks(): Hash[] {
    return [...this.peakHashes];
  }

  /** Appends one leaf; returns every node that became complete (the leaf first). */
  append(leaf: Hash): StoredNode[] {
    const created: StoredNode[] = [{ level: 0, index: this.treeSize, hash: leaf }];
    let hash = leaf;
    let level = 0;
    let index = this.treeSize;
    while (index % 2 === 1) {
      hash = nodeHash(this.peakHashes.pop()!, hash);
      level += 1;
      index = (index - 1) / 2;
      created.push({ level, index, hash });
    }
    this.peakHashes.push(hash);
    this.treeSize += 1;
    return created;
  }

  /** MTH of the whole tree. */
  root(): Hash {
    if (this.peakHashes.length === 0) return emptyRoot();
    return foldRight(this.peakHashes);
  }
}

/** Hash of subtrees laid side by side, left to right: fold from the right, as RFC 6962 splits. */
export function foldRight(hashes: Hash[]): Hash {
  let acc = hashes[hashes.length - 1];
  for (let i = hashes.length - 2; i >= 0; i--) acc = nodeHash(hashes[i], acc);
  return acc;
}
