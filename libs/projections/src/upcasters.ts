import { RecordedEvent } from '@ledger/event-store/port';

/**
 * Rewrites a stored event, as the projections read it, into a shape they can apply. The log
 * itself is never changed; commands (decide/evolve) still see the stored event.
 */
export type Upcaster = (event: RecordedEvent) => RecordedEvent;

/** Upcasters by event type (`AccountCreated.v1`, ...). See docs/projections.md. */
export type Upcasters = Readonly<Record<string, Upcaster>>;

/**
 * The upcasters the service applies for its own projections (read when the runtime is built).
 * Empty: add one here (or `registerUpcaster` before start) when a stored event of some
 * type/version cannot be applied (docs/projections.md, "the way out").
 */
export const LEDGER_UPCASTERS: Record<string, Upcaster> = {};

/** Registers `upcaster` for stored events of `type`; returns a function that removes it again. */
export function registerUpcaster(type: string, upcaster: Upcaster): () => void {
  LEDGER_UPCASTERS[type] = upcaster;
  return () => {
    if (LEDGER_UPCASTERS[type] === upcaster) delete LEDGER_UPCASTERS[type];
  };
}

export function upcast(events: RecordedEvent[], upcasters: Upcasters): RecordedEvent[] {
  if (Object.keys(upcasters).length === 0) return events;
  return events.map((e) => (Object.hasOwn(upcasters, e.type) ? upcasters[e.type](e) : e));
}
