/**
 * The numbers met so far in one task's file, to refuse duplicates. E.164 digits
 * fit a double exactly (at most 15 digits), so a million numbers take 16 MB of
 * open-addressing table instead of a Set of strings several times that size.
 */
export class SeenNumbers {
  private table = new Float64Array(1 << 16);
  private size = 0;

  /** Adds `e164`; false when it was already there. */
  add(e164: string): boolean {
    const key = Number(e164.slice(1));
    if (this.size * 2 >= this.table.length) this.grow();
    const added = insert(this.table, key);
    if (added) this.size++;
    return added;
  }

  private grow(): void {
    const old = this.table;
    this.table = new Float64Array(old.length * 2);
    for (const key of old) if (key !== 0) insert(this.table, key);
  }
}

function insert(table: Float64Array, key: number): boolean {
  const mask = table.length - 1;
  for (let i = hash(key) & mask; ; i = (i + 1) & mask) {
    if (table[i] === 0) {
      table[i] = key;
      return true;
    }
    if (table[i] === key) return false;
  }
}

function hash(key: number): number {
  const lo = key % 4294967296;
  const hi = Math.floor(key / 4294967296);
  return (Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b) ^ (lo >>> 13)) >>> 0;
}
