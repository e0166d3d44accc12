import { AppendResult, DuplicateEventIdError, ExpectedRevision, NewEvent } from '../port';
import { SqlExecutor } from '@ledger/sql';
import { EVENT_ID_CONSTRAINT } from './schema';
import { STORED_EVENTS_BY_ID } from './append-statements';

interface StoredEvent {
  stream_id: string;
  revision: number;
  position: string;
  event_id: string;
}

/** The insert hit an event id that is already stored. */
export function isDuplicateEventId(err: unknown): boolean {
  const e = err as { code?: string; constraint?: string; message?: string };
  return e?.code === '23505' && (e.constraint === EVENT_ID_CONSTRAINT || !!e.message?.includes(EVENT_ID_CONSTRAINT));
}

function matchesExpected(firstRevision: number, expected: ExpectedRevision): boolean {
  if (expected === 'any') return true;
  if (expected === 'no_stream') return firstRevision === 0;
  return expected === firstRevision - 1;
}

/**
 * When `events` are already stored exactly where this append would have put them,
 * the result of the original append; undefined when none of them is stored.
 * Throws `DuplicateEventIdError` when some are stored elsewhere.
 */
export async function originalAppend(
  sql: SqlExecutor,
  streamId: string,
  events: NewEvent[],
  expected: ExpectedRevision,
): Promise<AppendResult | undefined> {
  return (await originalAppends(sql, [{ streamId, events, expected }])).get(streamId);
}

/** `originalAppend` for many appends (one per stream) in one query: the ones stored before. */
export async function originalAppends(
  sql: SqlExecutor,
  appends: Array<{ streamId: string; events: NewEvent[]; expected: ExpectedRevision }>,
): Promise<Map<string, AppendResult>> {
  const found = new Map<string, AppendResult>();
  const ids = appends.flatMap((a) => a.events.map((e) => e.id.toLowerCase()));
  if (ids.length === 0) return found;
  const { rows } = await sql.query<StoredEvent>(STORED_EVENTS_BY_ID, [JSON.stringify(ids)]);
  if (rows.length === 0) return found;
  const byId = new Map(rows.map((r) => [r.event_id, r]));
  for (const { streamId, events, expected } of appends) {
    const stored = events.map((e) => byId.get(e.id.toLowerCase()));
    if (stored.every((s) => s === undefined)) continue;
    const first = stored[0];
    const samePlace =
      first !== undefined &&
      stored.every((s, i) => s?.stream_id === streamId && s.revision === first.revision + i) &&
      matchesExpected(first.revision, expected);
    if (!samePlace) throw new DuplicateEventIdError(streamId, stored.flatMap((s) => (s ? [s.event_id] : [])));
    const last = stored[stored.length - 1]!;
    found.set(streamId, { nextRevision: last.revision, position: last.position });
  }
  return found;
}
