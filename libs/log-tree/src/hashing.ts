import { createHash, hash as oneShotHash } from 'node:crypto';

/** A SHA-256 digest (32 bytes). */
export type Hash = Buffer;

export const HASH_SIZE = 32;

const LEAF_PREFIX = Buffer.of(0x00);
// crypto.hash digests without a Hash object. Asked for a Buffer it allocates one outside the
// pool (about 0.5 µs a call); a 'binary' (latin1) string copied into a pooled Buffer costs a fraction.
const sha256 = (data: string | Uint8Array): Hash => Buffer.from(oneShotHash('sha256', data, 'binary'), 'binary');

/** RFC 6962 leaf hash: SHA-256(0x00 || entry); a string entry is hashed as its UTF-8 bytes. */
export function leafHash(entry: Uint8Array | string): Hash {
  if (typeof entry === 'string') return sha256(`\u0000${entry}`);
  return createHash('sha256').update(LEAF_PREFIX).update(entry).digest();
}

// 0x01 || left || right, reused: hashing is synchronous, so no two calls share it at once.
const nodeInput = Buffer.alloc(1 + 2 * HASH_SIZE, 0x01);

/** RFC 6962 interior node hash: SHA-256(0x01 || left || right). */
export function nodeHash(left: Hash, right: Hash): Hash {
  if (left.length !== HASH_SIZE || right.length !== HASH_SIZE) return createHash('sha256').update(nodeInput.subarray(0, 1)).update(left).update(right).digest();
  nodeInput.set(left, 1);
  nodeInput.set(right, 1 + HASH_SIZE);
  return sha256(nodeInput);
}

/** The root of the empty tree: SHA-256 of the empty string. */
export function emptyRoot(): Hash {
  return createHash('sha256').digest();
}
