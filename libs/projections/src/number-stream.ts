import { numberEvents as numberCodec } from '@ledger/domain/number/events';
import { NumberEvent } from '@ledger/domain/types';
import { RecordedEvent } from '@ledger/event-store/port';

export const NUMBER_STREAM = 'number-';

// Several projections fold the same number events of a batch: each stored event is checked and read once.
const read = new WeakMap<RecordedEvent, NumberEvent>();

export function numberEventOf(e: RecordedEvent): NumberEvent {
  let event = read.get(e);
  if (event === undefined) {
    event = numberCodec.read(e);
    read.set(e, event);
  }
  return event;
}

/** A batch's events of number streams, with the number each one is about. */
export interface NumberBatch {
  events: Array<{ number: string; stored: RecordedEvent }>;
  /** Numbers that had events before this batch (their stored state must be read first); the others start here. */
  seen: string[];
  numbers: string[];
}

/**
 * The number events of `events`. A number whose first event here is its stream's first
 * (revision 0) has nothing stored before it: the projector hands a projection only events
 * after its checkpoint, so no row of a projection can know that number yet.
 */
export function numberBatchOf(events: RecordedEvent[]): NumberBatch {
  const batch: NumberBatch = { events: [], seen: [], numbers: [] };
  const known = new Set<string>();
  for (const e of events) {
    if (!e.streamId.startsWith(NUMBER_STREAM)) continue;
    const number = e.streamId.slice(NUMBER_STREAM.length);
    batch.events.push({ number, stored: e });
    if (known.has(number)) continue;
    known.add(number);
    batch.numbers.push(number);
    if (e.revision > 0) batch.seen.push(number);
  }
  return batch;
}
