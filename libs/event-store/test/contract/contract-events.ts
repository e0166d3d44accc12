import { randomUUID } from 'node:crypto';
import {
  comparePositions,
  EventStore,
  ExpectedRevision,
  LogPosition,
  NewEvent,
  RecordedEvent,
  WrongExpectedRevisionError,
} from '@ledger/event-store/port';

/** A unique stream-name namespace per contract run, so suites can share a real server. */
export function runNamespace(): string {
  return `contract${randomUUID().slice(0, 8)}`;
}

export function numberEvent(label: string, extra: Record<string, unknown> = {}): NewEvent {
  return {
    id: randomUUID(),
    type: 'NumberAdded.v1',
    data: { label, ...extra },
    metadata: { actor: 'contract-suite', correlationId: randomUUID() },
  };
}

export function numberEvents(count: number, label = 'e'): NewEvent[] {
  return Array.from({ length: count }, (_, i) => numberEvent(`${label}${i}`));
}

/** Appends with optimistic concurrency, re-reading the stream after each conflict. */
export async function appendWithRetry(store: EventStore, streamId: string, events: NewEvent[]): Promise<void> {
  for (let attempt = 0; attempt < 1000; attempt++) {
    const [last] = await store.readStream(streamId, { direction: 'backwards', maxCount: 1 });
    const expected: ExpectedRevision = last ? last.revision : 'no_stream';
    try {
      await store.append(streamId, events, expected);
      return;
    } catch (err) {
      if (!(err instanceof WrongExpectedRevisionError)) throw err;
    }
  }
  throw new Error(`gave up appending to ${streamId}`);
}

/** Follows the global log with readAll until `done` says so, returning every event seen. */
export async function followWithReadAll(
  store: EventStore,
  after: LogPosition,
  prefixes: string[],
  done: (seen: RecordedEvent[]) => boolean,
  deadlineMs: number,
): Promise<RecordedEvent[]> {
  const seen: RecordedEvent[] = [];
  let position = after;
  const deadline = Date.now() + deadlineMs;
  while (!done(seen) && Date.now() < deadline) {
    const batch = await store.readAll(position, 37, { streamPrefixes: prefixes });
    if (batch.length === 0) await new Promise((r) => setTimeout(r, 5));
    for (const e of batch) seen.push(e);
    if (batch.length > 0) position = batch[batch.length - 1].position;
  }
  return seen;
}

/** The checks a follower of the global log must pass: each appended event once, positions rising, streams in order. */
export function expectFaithfulFollow(seen: RecordedEvent[], appendedIds: Set<string>): void {
  const seenIds = seen.map((e) => e.id);
  expect(new Set(seenIds).size).toBe(seenIds.length);
  expect(new Set(seenIds)).toEqual(appendedIds);
  for (let i = 1; i < seen.length; i++) {
    expect(comparePositions(seen[i - 1].position, seen[i].position)).toBe(-1);
  }
  const revisions = new Map<string, number[]>();
  for (const e of seen) revisions.set(e.streamId, [...(revisions.get(e.streamId) ?? []), e.revision]);
  for (const [, revs] of revisions) expect(revs).toEqual(revs.map((_, i) => i));
}
