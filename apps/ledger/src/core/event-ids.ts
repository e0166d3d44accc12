import { hash, randomUUID } from 'node:crypto';
import { parse as parseUuid } from 'uuid';

const NAMESPACE = '6f1c1d9e-8a55-4c59-9a55-3f3c2b7e4d10';
const NAMESPACE_BYTES = Buffer.from(parseUuid(NAMESPACE));

/**
 * Event ids for one append. With an Idempotency-Key they are derived from it, so two
 * concurrent deliveries of the same request append once (the store treats the second as a retry).
 */
export function eventIdsFor(count: number, streamId: string, idempotency?: { accountId: string; key: string }): string[] {
  return Array.from({ length: count }, (_, i) =>
    idempotency ? uuidV5(`${idempotency.accountId}|${idempotency.key}|${streamId}|${i}`) : randomUUID(),
  );
}

/** SHA-1 in hex: the one-shot `crypto.hash` costs half of a Hash object per call. */
const sha1Hex = (data: Buffer): string => hash('sha1', data, 'hex');

/** RFC 4122 version 5 (SHA-1) UUID of `name` in NAMESPACE, as uuid's v5 makes it, without its per-call conversions (imports make millions). */
function uuidV5(name: string): string {
  const hex = sha1Hex(Buffer.concat([NAMESPACE_BYTES, Buffer.from(name, 'utf8')]));
  // Version 5 in the 13th hex digit, the RFC 4122 variant (10xx) in the 17th.
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
