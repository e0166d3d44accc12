import { createHash, randomUUID } from 'node:crypto';
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

/** RFC 4122 version 5 (SHA-1) UUID of `name` in NAMESPACE, as uuid's v5 makes it, without its per-call conversions (imports make millions). */
function uuidV5(name: string): string {
  const bytes = createHash('sha1').update(NAMESPACE_BYTES).update(name, 'utf8').digest();
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex', 0, 16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
