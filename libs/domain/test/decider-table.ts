/**
 * Given/when/then tables for any decider (as `fixture.ts` is for the number's):
 * given events, when a command, then events (matched on the listed fields) or an
 * error, and optionally the state the events lead to.
 */
import type { Decider } from '@ledger/domain/decider';
import { LedgerError, type ErrorCode } from '@ledger/domain/errors';

type DeepPartial<T> = T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;

export interface DeciderRow<Command, Event, State> {
  /** The SPEC rule this row checks. */
  rule: string;
  given?: Event[];
  when: Command;
  then?: Array<DeepPartial<Event>>;
  /** A LedgerError code, or the class of another domain error. */
  error?: ErrorCode | (new (...args: never[]) => Error);
  /** Substring expected in the error's message. */
  message?: string;
  /** Expected fields of the state after the events. */
  state?: DeepPartial<State>;
}

export function runDeciderRow<C, E, S>(decider: Decider<C, E, S>, row: DeciderRow<C, E, S>): void {
  const before = (row.given ?? []).reduce(decider.evolve, decider.initialState());
  if (row.error) {
    let thrown: unknown;
    try {
      decider.decide(row.when, before);
    } catch (e) {
      thrown = e;
    }
    if (typeof row.error === 'string') {
      expect(thrown).toBeInstanceOf(LedgerError);
      expect((thrown as LedgerError).code).toBe(row.error);
    } else {
      expect(thrown).toBeInstanceOf(row.error);
    }
    if (row.message) expect((thrown as Error).message).toContain(row.message);
    return;
  }
  const events = decider.decide(row.when, before);
  expect(events).toHaveLength((row.then ?? []).length);
  (row.then ?? []).forEach((expected, i) => expect(events[i]).toMatchObject(expected as object));
  if (row.state) expect(events.reduce(decider.evolve, before)).toMatchObject(row.state);
}

/** `it.each` over rows, titled by their rule. */
export function deciderTable<C, E, S>(decider: Decider<C, E, S>, rows: Array<DeciderRow<C, E, S>>): void {
  it.each(rows.map((r) => [r.rule, r] as const))('%s', (_rule, row) => runDeciderRow(decider, row));
}
