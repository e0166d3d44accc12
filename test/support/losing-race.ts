import { EventStore, WrongExpectedRevisionError } from '@ledger/event-store/port';

/**
 * Runs `work` while every append to `streamId` loses its race (as if another writer
 * always got there first), then restores the store.
 */
export async function whileAppendsLoseTheRace<T>(events: EventStore, streamId: string, work: () => Promise<T>): Promise<T> {
  const append = events.append.bind(events);
  events.append = async (id, batch, expected) => {
    if (id === streamId) throw new WrongExpectedRevisionError(id, expected, 99);
    return append(id, batch, expected);
  };
  try {
    return await work();
  } finally {
    events.append = append;
  }
}
