/** SPEC 12: an account's view is its own subtree plus the ids of its ancestors; admins see everything. */
import { makeCtx } from '@ledger/domain/test/fixture';
import { AccountView, HIDDEN_ACCOUNT } from './view';

const view = (as: string) => new AccountView(makeCtx(as));

describe('SPEC 12 - what a caller sees of other accounts', () => {
  it.each([
    { as: 'child', sees: ['child', 'grandchild', 'reseller', 'system'], hidden: ['sibling', 'other', 'plain', 'admin'] },
    { as: 'reseller', sees: ['reseller', 'child', 'grandchild', 'sibling', 'plain', 'system'], hidden: ['other', 'admin'] },
    { as: 'other', sees: ['other', 'system'], hidden: ['reseller', 'child', 'admin'] },
    { as: 'admin', sees: ['other', 'reseller', 'child', 'sibling'], hidden: [] },
  ])('$as sees its subtree and its ancestors\' ids', ({ as, sees, hidden }) => {
    const v = view(as);
    for (const id of sees) expect(v.sees(id)).toBe(true);
    for (const id of hidden) expect(v.sees(id)).toBe(false);
  });

  it.each([
    { as: 'child', owns: ['child', 'grandchild'], not: ['reseller', 'system', 'sibling', 'other', 'no-such-account', null] },
    { as: 'reseller', owns: ['reseller', 'child', 'grandchild', 'sibling'], not: ['system', 'other', null] },
    { as: 'admin', owns: ['other', 'reseller', 'child'], not: [] },
  ])('$as sees the data of its subtree only, not of its ancestors whose ids it sees', ({ as, owns, not }) => {
    const v = view(as);
    for (const id of owns) expect([id, v.ownsDataOf(id)]).toEqual([id, true]);
    for (const id of not) expect([id, v.ownsDataOf(id)]).toEqual([id, false]);
  });

  it('an id that is no account is not hidden', () => {
    expect(view('child').sees('no-such-account')).toBe(true);
  });

  it('clears account fields, filters id lists and drops other tenants\' services, by field name only', () => {
    const answer = {
      number: '+14155550100', state: 'available', assignedTo: null, prevAssignedTo: 'other', reserveHistory: ['child', 'sibling', 'other'],
      usedBy: [{ type: 'device', id: 'd1', accountId: 'child' }, { type: 'device', id: 'd2', accountId: 'sibling' }],
      name: 'other', detail: 'account child may not take it from sibling',
      data: [{ accountId: 'other', metadata: { actor: 'sibling' } }],
    };
    expect(view('child').answer(answer)).toEqual({
      number: '+14155550100', state: 'available', assignedTo: null, prevAssignedTo: null, reserveHistory: ['child'],
      usedBy: [{ type: 'device', id: 'd1', accountId: 'child' }],
      name: 'other', detail: `account child may not take it from ${HIDDEN_ACCOUNT}`,
      data: [{ accountId: null, metadata: { actor: null } }],
    });
  });

  it('admins get the answer unchanged', () => {
    const answer = { prevAssignedTo: 'other', detail: 'held by sibling' };
    expect(view('admin').answer(answer)).toBe(answer);
  });
});
