/**
 * Given/when/then table runner for the decider. Account tree:
 *
 *   system (root)
 *   ├── admin        superAdmin
 *   ├── other        unrelated tenant, allowNumberAdditions
 *   └── reseller     reseller, allowNumberAdditions
 *       ├── child    allowNumberAdditions
 *       │   └── grandchild
 *       ├── sibling  allowNumberAdditions
 *       └── plain    no allowNumberAdditions
 */
import { InMemoryAccountDirectory } from '@ledger/domain/accounts';
import { defaultConfig } from '@ledger/domain/config';
import { decide } from '@ledger/domain/number/decide';
import { LedgerError, type ErrorCode } from '@ledger/domain/errors';
import { foldNumber } from '@ledger/domain/number/evolve';
import { numberEvents } from './number-events';
import type {
  AccountInfo, CarrierModule, DecisionContext, NumberCommand, NumberEvent, NumberManagerConfig, NumberRecord, NumberState,
} from '@ledger/domain/types';

export const N = '+14155550100';
export const NOW = new Date('2024-06-01T00:00:00.000Z');
export const PAST = '2024-05-01T00:00:00.000Z';
export const FUTURE = '2024-07-01T00:00:00.000Z';
export const days = (n: number): string => new Date(NOW.getTime() + n * 86_400_000).toISOString();

const account = (id: string, parentId: string | null, o: Partial<AccountInfo> = {}): AccountInfo => ({
  id, name: id, parentId, reseller: false, superAdmin: false, allowNumberAdditions: false, ...o,
});

export const ACCOUNTS: AccountInfo[] = [
  account('admin', 'system', { superAdmin: true }),
  account('other', 'system', { allowNumberAdditions: true }),
  account('reseller', 'system', { reseller: true, allowNumberAdditions: true }),
  account('child', 'reseller', { allowNumberAdditions: true }),
  account('grandchild', 'child'),
  account('sibling', 'reseller', { allowNumberAdditions: true }),
  account('plain', 'reseller'),
];

export function makeCtx(as = 'system', config: Partial<NumberManagerConfig> = {}, accounts: AccountInfo[] = ACCOUNTS): DecisionContext {
  return {
    now: NOW,
    requester: { accountId: as, isSystem: as === 'system' },
    accounts: new InMemoryAccountDirectory(accounts),
    config: { ...defaultConfig(), ...config },
  };
}

// ---- given: streams that put a number in a state ------------------------------

const E = numberEvents;

/** A number added in `state` (held by `holder` when given), with `module`. */
export function given(state: NumberState, holder: string | null = null, module: CarrierModule = 'knm_inventory',
  extra: Partial<Parameters<typeof E.added>[0]> = {}): NumberEvent[] {
  return [E.added({
    number: N, state, carrierModule: module, assignedTo: holder,
    reserveHistory: state === 'reserved' && holder ? [holder] : [],
    agingUntil: state === 'aging' ? PAST : null,
    ...extra,
  })];
}

export const discoveredNumber = (module: CarrierModule = 'knm_telnyx', expiresAt = PAST): NumberEvent[] =>
  [E.discovered({ number: N, carrierModule: module, expiresAt })];

export const deletedNumber = (): NumberEvent[] => [...given('available'), E.deleted({ from: 'available' })];

// ---- the table row ------------------------------------------------------------

export interface Row {
  /** The SPEC rule this row checks. */
  rule: string;
  /** The number the command targets (default N). */
  number?: string;
  given?: NumberEvent[];
  when: NumberCommand;
  /** Requester account id; `system` is the operator. */
  as?: string;
  config?: Partial<NumberManagerConfig>;
  accounts?: AccountInfo[];
  /** Expected events, matched on the listed fields. */
  then?: Array<Partial<NumberEvent> & { type: NumberEvent['type'] }>;
  /** Expected error code. */
  error?: ErrorCode;
  /** Expected fields of the record after the events. */
  record?: Partial<NumberRecord>;
  /** Substring expected in the error detail. */
  message?: string;
}

export function runRow(row: Row): void {
  const ctx = makeCtx(row.as ?? 'system', row.config, row.accounts);
  const history = row.given ?? [];
  const e164 = row.number ?? N;
  const record = foldNumber(e164, history);
  if (row.error) {
    let thrown: unknown;
    try {
      decide(e164, row.when, record, ctx);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(LedgerError);
    expect((thrown as LedgerError).code).toBe(row.error);
    if (row.message) expect((thrown as LedgerError).detail).toContain(row.message);
    return;
  }
  const events = decide(e164, row.when, record, ctx);
  expect(events).toHaveLength((row.then ?? []).length);
  (row.then ?? []).forEach((expected, i) => expect(events[i]).toMatchObject(expected));
  if (row.record) expect(foldNumber(e164, [...history, ...events])).toMatchObject(row.record);
}

/** `it.each` over rows, titled by their rule. */
export function table(rows: Row[]): void {
  it.each(rows.map((r) => [r.rule, r] as const))('%s', (_rule, row) => runRow(row));
}

export { E };
