import { createHash } from 'node:crypto';

/** A SHA-256 digest (32 bytes). */
export type Hash = Buffer;

export const HASH_SIZE = 32;

/** RFC 6962 leaf hash: SHA-256(0x00 || entry). */
export function leafHash(entry: Uint8Array): Hash {
  return createHash('sha256').update(Buffer.of(0x00)).update(entry).digest();
}

/** RFC 6962 interior node hash: SHA-256(0x01 || left || right). */
export function nodeHash(left: Hash, right: Hash): Hash {
  return createHash('sha256').update(Buffer.of(0x01)).update(left).update(right).digest();
}

/** The root of the empty tree: SHA-256 of the empty string. */
export function emptyRoot(): Hash {
  return createHash('sha256').digest();
}
