import { randomUUID } from 'node:crypto';
import { v5 as uuidv5 } from 'uuid';

const NAMESPACE = '6f1c1d9e-8a55-4c59-9a55-3f3c2b7e4d10';

/**
 * Event ids for one append. With an Idempotency-Key they are derived from it, so two
 * concurrent deliveries of the same request append once (the store treats the second as a retry).
 */
export function eventIdsFor(count: number, streamId: string, idempotency?: { accountId: string; key: string }): string[] {
  return Array.from({ length: count }, (_, i) =>
    idempotency ? uuidv5(`${idempotency.accountId}|${idempotency.key}|${streamId}|${i}`, NAMESPACE) : randomUUID(),
  );
}
