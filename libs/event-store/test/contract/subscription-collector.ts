import { RecordedEvent, Subscription } from '@ledger/event-store/port';

/**
 * Consumes a subscription one event at a time until `enough` says so (or the deadline passes),
 * then closes it. Events of a batch after the last one consumed are left unprocessed,
 * as a consumer that checkpoints per event would.
 */
export async function consume(
  subscription: Subscription,
  enough: (seen: RecordedEvent[]) => boolean,
  deadlineMs: number,
  seen: RecordedEvent[] = [],
): Promise<RecordedEvent[]> {
  const timer = setTimeout(() => void subscription.close(), deadlineMs);
  try {
    if (enough(seen)) return seen;
    outer: for await (const batch of subscription) {
      for (const event of batch) {
        seen.push(event);
        if (enough(seen)) break outer;
      }
    }
    return seen;
  } finally {
    clearTimeout(timer);
    await subscription.close();
  }
}
