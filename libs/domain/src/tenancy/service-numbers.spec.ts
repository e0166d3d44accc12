/** SPEC 12, services and usage: which numbers a service may list. */
import { LedgerError } from '../errors';
import { makeCtx, N } from '@ledger/domain/test/fixture';
import type { NumberState } from '../types';
import { authorizeServiceNumbers } from './service-numbers';
import type { NumberHolding } from './lineage';

interface Row {
  rule: string;
  as: string;
  accountId: string;
  given: Omit<NumberHolding, 'number'> | null;
  then: 'allowed' | 'unauthorized';
}

const held = (state: NumberState, assignedTo: string | null, poolAccountId: string | null = null) => ({ state, assignedTo, poolAccountId });

const rows: Row[] = [
  { rule: 'absent from the inventory: allowed', as: 'child', accountId: 'child', given: null, then: 'allowed' },
  ...(['available', 'aging', 'released', 'discovery'] as const).map((state): Row => ({
    rule: `unassigned (${state}): allowed`, as: 'child', accountId: 'child', given: held(state, null), then: 'allowed',
  })),
  { rule: 'in service for itself: allowed', as: 'child', accountId: 'child', given: held('in_service', 'child'), then: 'allowed' },
  { rule: 'reserved for its parent: allowed', as: 'child', accountId: 'child', given: held('reserved', 'reseller'), then: 'allowed' },
  { rule: 'in service for a descendant: allowed', as: 'child', accountId: 'child', given: held('in_service', 'grandchild'), then: 'allowed' },
  { rule: 'a reseller registering for its child a number of a sibling child: refused (outside the child lineage)', as: 'reseller', accountId: 'child', given: held('in_service', 'sibling'), then: 'unauthorized' },
  { rule: 'reserved for a sibling: refused', as: 'child', accountId: 'child', given: held('reserved', 'sibling'), then: 'unauthorized' },
  { rule: 'in service for an unrelated account: refused', as: 'child', accountId: 'child', given: held('in_service', 'other'), then: 'unauthorized' },
  { rule: 'reserved for an unrelated account: refused', as: 'reseller', accountId: 'reseller', given: held('reserved', 'other'), then: 'unauthorized' },
  { rule: 'available in the managed pool of an unrelated account: refused', as: 'child', accountId: 'child', given: held('available', null, 'other'), then: 'unauthorized' },
  { rule: 'available in the managed pool of its reseller: allowed', as: 'child', accountId: 'child', given: held('available', null, 'reseller'), then: 'allowed' },
  { rule: 'porting in for an unrelated account: refused', as: 'child', accountId: 'child', given: held('port_in', 'other'), then: 'unauthorized' },
  { rule: 'an admin may list anything', as: 'admin', accountId: 'child', given: held('in_service', 'other'), then: 'allowed' },
  { rule: 'the system may list anything', as: 'system', accountId: 'child', given: held('reserved', 'other', 'other'), then: 'allowed' },
];

describe('SPEC 12 - a service lists only numbers inside its lineage', () => {
  it.each(rows)('$rule', ({ as, accountId, given, then }) => {
    const listed = given ? [{ number: N, ...given }] : [];
    const when = () => authorizeServiceNumbers(makeCtx(as), accountId, listed);
    if (then === 'allowed') expect(when).not.toThrow();
    else expect(when).toThrow(expect.objectContaining({ code: 'unauthorized' }));
  });

  it('a refusal names the number, never its holder', () => {
    let err: unknown;
    try {
      authorizeServiceNumbers(makeCtx('child'), 'child', [{ number: N, state: 'reserved', assignedTo: 'other' }]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(LedgerError);
    const text = JSON.stringify({ detail: (err as LedgerError).detail, extra: (err as LedgerError).extra });
    expect(text).toContain(N);
    expect(text).not.toMatch(/\bother\b/);
  });
});
