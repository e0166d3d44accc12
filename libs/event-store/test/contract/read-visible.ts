import { EventStore, LogPosition, RecordedEvent, StreamFilter } from '@ledger/event-store/port';

/**
 * readAll once `count` events after `from` are visible to readers of the global log. On a
 * shared PostgreSQL server another session's open transaction (another database's, even) may
 * hold the safe horizon back for a while: this waits for the events on the log's own
 * subscription, never for a clock, then reads them with readAll.
 */
export async function readAllVisible(
  store: EventStore, from: LogPosition, maxCount: number, count: number, filter?: StreamFilter,
): Promise<RecordedEvent[]> {
  await untilVisible(store, from, count, filter);
  return store.readAll(from, maxCount, filter);
}

async function untilVisible(store: EventStore, from: LogPosition, count: number, filter?: StreamFilter): Promise<void> {
  if (count <= 0) return;
  const subscription = store.subscribeToAll(from, filter);
  let seen = 0;
  try {
    for await (const batch of subscription) {
      seen += batch.length;
      if (seen >= count) return;
    }
  } finally {
    await subscription.close();
  }
}
