/**
 * Where the hashes of an RFC 6962 tree live. A complete subtree of 2^level leaves starting
 * at leaf index * 2^level is the node (level, index); leaves are level 0. Every such node,
 * once complete, never changes, so a store can keep them and serve any proof in O(log n) reads.
 */
export interface NodeRef {
  level: number;
  index: number;
}

/** A half-open range [start, end) of leaves whose Merkle tree hash MTH(D[start:end]) a proof needs. */
export interface LeafRange {
  start: number;
  end: number;
}

/** The largest power of two strictly smaller than n (n >= 2). */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/**
 * The complete subtrees that make up [start, end), left to right. For the ranges that
 * RFC 6962 proofs ask for (start aligned to a power of two at least as large as the range),
 * folding their hashes right to left gives MTH(D[start:end]).
 */
export function completeSubtrees({ start, end }: LeafRange): NodeRef[] {
  const refs: NodeRef[] = [];
  let at = start;
  while (at < end) {
    let size = 1;
    while (at % (size * 2) === 0 && at + size * 2 <= end) size *= 2;
    refs.push({ level: Math.log2(size), index: at / size });
    at += size;
  }
  return refs;
}

/** The nodes of the right edge of a tree of `size` leaves (one per set bit), left to right. */
export function peaks(size: number): NodeRef[] {
  return completeSubtrees({ start: 0, end: size });
}

/** RFC 6962 PATH(m, D[0:n]) as leaf ranges, nearest sibling first. */
export function inclusionRanges(m: number, n: number): LeafRange[] {
  if (!(m >= 0 && m < n)) throw new RangeError(`leaf ${m} is not in a tree of ${n}`);
  return pathRanges(m, 0, n);
}

function pathRanges(m: number, start: number, end: number): LeafRange[] {
  const n = end - start;
  if (n === 1) return [];
  const k = splitPoint(n);
  if (m < k) return [...pathRanges(m, start, start + k), { start: start + k, end }];
  return [...pathRanges(m - k, start + k, end), { start, end: start + k }];
}

/** RFC 6962 PROOF(m, D[0:n]) as leaf ranges (empty when m = n). */
export function consistencyRanges(m: number, n: number): LeafRange[] {
  if (!(m >= 1 && m <= n)) throw new RangeError(`no consistency proof from ${m} to ${n}`);
  return subproofRanges(m, 0, n, true);
}

function subproofRanges(m: number, start: number, end: number, whole: boolean): LeafRange[] {
  const n = end - start;
  if (m === n) return whole ? [] : [{ start, end }];
  const k = splitPoint(n);
  if (m <= k) return [...subproofRanges(m, start, start + k, whole), { start: start + k, end }];
  return [...subproofRanges(m - k, start + k, end, false), { start, end: start + k }];
}
