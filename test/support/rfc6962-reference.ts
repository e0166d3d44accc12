import { createHash } from 'node:crypto';

/**
 * RFC 6962 section 2.1 written out as plainly as possible (MTH, PATH, PROOF over an array of
 * leaf hashes, MTH memoised), for tests to hold the log tree against. Shares no code with it.
 */
export class ReferenceTree {
  private readonly memo = new Map<string, Buffer>();
  constructor(private readonly leaves: Buffer[]) {}

  static leafHash(entry: Buffer): Buffer {
    return createHash('sha256').update(Buffer.of(0)).update(entry).digest();
  }

  mth(start: number, end: number): Buffer {
    const key = `${start}-${end}`;
    const hit = this.memo.get(key);
    if (hit) return hit;
    const n = end - start;
    let h: Buffer;
    if (n === 0) h = createHash('sha256').digest();
    else if (n === 1) h = this.leaves[start];
    else {
      const k = split(n);
      h = createHash('sha256').update(Buffer.of(1)).update(this.mth(start, start + k)).update(this.mth(start + k, end)).digest();
    }
    this.memo.set(key, h);
    return h;
  }

  /** PATH(m, D[start:end]). */
  path(m: number, start: number, end: number): Buffer[] {
    const n = end - start;
    if (n <= 1) return [];
    const k = split(n);
    return m < k
      ? [...this.path(m, start, start + k), this.mth(start + k, end)]
      : [...this.path(m - k, start + k, end), this.mth(start, start + k)];
  }

  /** SUBPROOF(m, D[start:end], b); PROOF(m, D[n]) is proof(m, 0, n, true). */
  proof(m: number, start: number, end: number, b: boolean): Buffer[] {
    const n = end - start;
    if (m === n) return b ? [] : [this.mth(start, end)];
    const k = split(n);
    return m <= k
      ? [...this.proof(m, start, start + k, b), this.mth(start + k, end)]
      : [...this.proof(m - k, start + k, end, false), this.mth(start, start + k)];
  }
}

function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

export const hex = (hashes: Buffer[]): string => hashes.map((h) => h.toString('hex')).join(',');
