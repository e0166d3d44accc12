import { evolve, initialNumberRecord } from '@ledger/domain';
import { LedgerError } from '@ledger/domain/errors';
import { INPUT_LIMITS } from '@ledger/domain/validation';
import { EventStore, RecordedEvent } from '@ledger/event-store/port';
import { toNumberEvents } from '../command-runner/number-command-runner';

export const HISTORY_LIMIT = { default: 50, max: 200 } as const;
/** Events read at a time when looking back for where the caller's view of a number begins. */
const SCAN_CHUNK = 100;

/** An opaque cursor: the revision the next page starts at. */
export function encodeHistoryCursor(revision: number): string {
  return Buffer.from(JSON.stringify({ r: revision })).toString('base64url');
}

export function decodeHistoryCursor(cursor: string): number {
  const refused = () => new LedgerError('validation_failed', 'cursor is not a history cursor this service issued', { field: 'cursor' });
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(cursor)) throw refused();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString());
  } catch {
    throw refused();
  }
  const r = (parsed as { r?: unknown } | null)?.r;
  if (typeof r !== 'number' || !Number.isInteger(r) || r < 0 || r > INPUT_LIMITS.maxInteger) throw refused();
  return r;
}

const UNCHANGED = '\u0000unchanged';

/** The holder an event sets, or UNCHANGED when it keeps the holder (features, usage, aging). */
function holderSetBy(e164: string, event: RecordedEvent): string | null {
  const stub = { ...initialNumberRecord(e164), exists: true, assignedTo: UNCHANGED };
  return evolve(stub, toNumberEvents([event])[0]).assignedTo;
}

/**
 * The first revision of the number's history that `ours` may see: the start of
 * the latest unbroken run of events after which the number was held inside the
 * caller's subtree (SPEC 12). Reads the stream backwards in chunks and stops at
 * the first holder outside it, so it reads the caller's tenure, not the whole history.
 * null: the stream is empty; -1: the number is not (any more) the caller's.
 */
export async function visibleFrom(events: EventStore, streamId: string, e164: string, ours: (holder: string | null) => boolean): Promise<number | null> {
  let before: number | undefined;
  let seen = false;
  /** Revision of the oldest event, so far, that sets a holder inside the view. */
  let from = -1;
  for (;;) {
    const range = before === undefined ? {} : { fromRevision: before };
    const chunk = await events.readStream(streamId, { direction: 'backwards', maxCount: SCAN_CHUNK, ...range });
    if (chunk.length === 0) break;
    seen = true;
    for (const e of chunk) {
      const holder = holderSetBy(e164, e);
      if (holder === UNCHANGED) continue;
      if (!ours(holder)) return from;
      from = e.revision;
    }
    const oldest = chunk[chunk.length - 1].revision;
    if (oldest === 0) break;
    before = oldest - 1;
  }
  return seen ? from : null;
}
