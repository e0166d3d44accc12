/** SPEC 2: authorization (who may act on / read a number) and the account tree. */
import { InMemoryAccountDirectory } from './accounts';
import { authorize, canRead, isAdmin, isAuthorized } from './authorization';
import { foldNumber } from './number/evolve';
import type { NumberEvent } from './types';
import { ACCOUNTS, E, N, deletedNumber, discoveredNumber, given, makeCtx, table } from '@ledger/domain/test/fixture';

describe('SPEC 2 - authorization through commands', () => {
  table([
    { rule: 'the system may act on any number', given: given('in_service', 'child'), as: 'system', when: { type: 'ReleaseNumber' }, then: [{ type: 'NumberReleased.v1' }] },
    { rule: 'an admin (superAdmin) may act on any number', given: given('in_service', 'child'), as: 'admin', when: { type: 'ReleaseNumber' }, then: [{ type: 'NumberReleased.v1' }] },
    { rule: 'the holder may act on its number', given: given('in_service', 'child'), as: 'child', when: { type: 'ReleaseNumber' }, then: [{ type: 'NumberReleased.v1' }] },
    { rule: 'a reseller may act on its child\'s number', given: given('in_service', 'child'), as: 'reseller', when: { type: 'ReleaseNumber' }, then: [{ type: 'NumberReleased.v1' }] },
    { rule: 'an ancestor two levels up may act', given: given('in_service', 'grandchild'), as: 'reseller', when: { type: 'ReleaseNumber' }, then: [{ type: 'NumberReleased.v1' }] },
    { rule: 'an unrelated account may not act', given: given('in_service', 'child'), as: 'other', when: { type: 'ReleaseNumber' }, error: 'unauthorized' },
    { rule: 'a child may not act on its parent\'s number', given: given('in_service', 'reseller'), as: 'child', when: { type: 'ReleaseNumber' }, error: 'unauthorized' },
    { rule: 'a grandchild may not act on its grandparent\'s number', given: given('in_service', 'reseller'), as: 'grandchild', when: { type: 'AcquireNumber' }, error: 'unauthorized' },
    {
      rule: 'no holder: the requester must be an ancestor of the target account',
      given: discoveredNumber(), as: 'reseller', when: { type: 'AcquireNumber', accountId: 'grandchild' },
      then: [{ type: 'NumberAcquired.v1', accountId: 'grandchild' }],
    },
    { rule: 'no holder: a target outside the requester\'s tree is refused', given: discoveredNumber(), as: 'child', when: { type: 'ReserveNumber', accountId: 'sibling' }, error: 'unauthorized' },
    { rule: 'a number may not be assigned into an unrelated account, even an available one', given: given('available'), as: 'child', when: { type: 'AcquireNumber', accountId: 'other' }, error: 'unauthorized' },
    { rule: 'descendants may acquire what an ancestor reserved', given: given('reserved', 'reseller'), as: 'child', when: { type: 'AcquireNumber' }, then: [{ type: 'NumberAcquired.v1', accountId: 'child' }] },
    { rule: 'an unknown target account is assign_failure', given: given('available'), as: 'system', when: { type: 'AcquireNumber', accountId: 'ghost' }, error: 'assign_failure' },
    { rule: 'the system must name the target account', given: given('available'), as: 'system', when: { type: 'AcquireNumber' }, error: 'assign_failure' },
    { rule: 'reserve without accountId defaults to the requester', given: given('available'), as: 'sibling', when: { type: 'ReserveNumber' }, then: [{ type: 'NumberReserved.v1', accountId: 'sibling' }] },
    { rule: 'acquire without accountId defaults to the requester', given: given('available'), as: 'grandchild', when: { type: 'AcquireNumber' }, then: [{ type: 'NumberAcquired.v1', accountId: 'grandchild' }] },
    { rule: 'an unknown requester may not act', given: given('in_service', 'child'), as: 'stranger', when: { type: 'ReleaseNumber' }, error: 'unauthorized' },
  ]);
});

describe('SPEC 2 - isAdmin / isAuthorized / authorize', () => {
  it.each([['system', true], ['admin', true], ['reseller', false], ['child', false]])('isAdmin(%s) = %s', (as, expected) => {
    expect(isAdmin(makeCtx(as))).toBe(expected);
  });
  it.each<[string, string | null, string | null, boolean]>([
    ['child', 'child', null, true],
    ['reseller', 'grandchild', null, true],
    ['grandchild', 'child', null, false],
    ['sibling', 'child', null, false],
    ['child', null, 'grandchild', true],
    ['child', null, 'sibling', false],
    ['child', null, null, false],
    ['admin', null, null, true],
  ])('isAuthorized(as %s, holder %s, target %s) = %s', (as, holder, target, expected) => {
    expect(isAuthorized(makeCtx(as), holder, target)).toBe(expected);
  });
  it('authorize throws unauthorized', () => {
    expect(() => authorize(makeCtx('sibling'), 'child')).toThrow(expect.objectContaining({ code: 'unauthorized', status: 403 }));
  });
});

describe('SPEC 2 - canRead', () => {
  const rows: Array<[string, NumberEvent[], string, boolean]> = [
    ['an available number is readable by anyone', given('available'), 'other', true],
    ['a discovered number is readable by anyone', discoveredNumber(), 'other', true],
    ['the holder reads its number', given('in_service', 'child'), 'child', true],
    ['an ancestor of the holder reads it', given('in_service', 'grandchild'), 'reseller', true],
    ['a sibling may not read it', given('in_service', 'child'), 'sibling', false],
    ['a descendant may not read an in-service number of its ancestor', given('in_service', 'reseller'), 'child', false],
    ['a number reserved by an ancestor is readable by descendants', given('reserved', 'reseller'), 'grandchild', true],
    ['a number reserved by a sibling is not readable', given('reserved', 'sibling'), 'child', false],
    ['an aging number (no holder) is not readable by accounts', given('aging'), 'child', false],
    ['admins read anything', given('in_service', 'child'), 'admin', true],
    ['a deleted number is not readable by accounts', deletedNumber(), 'child', false],
    ['a managed number is readable in its pool', given('available', null, 'knm_managed', { poolAccountId: 'child' }), 'grandchild', true],
    ['a managed number is not readable outside its pool', given('available', null, 'knm_managed', { poolAccountId: 'child' }), 'sibling', false],
  ];
  it.each(rows)('%s', (_rule, events, as, expected) => {
    expect(canRead(foldNumber(N, events), makeCtx(as))).toBe(expected);
  });
});

describe('InMemoryAccountDirectory', () => {
  const dir = new InMemoryAccountDirectory(ACCOUNTS);
  it.each<[string, string, boolean]>([
    ['child', 'child', true],
    ['reseller', 'grandchild', true],
    ['system', 'grandchild', true],
    ['system', 'system', true],
    ['grandchild', 'reseller', false],
    ['sibling', 'child', false],
    ['child', 'ghost', false],
  ])('isAncestor(%s, %s) = %s', (a, b, expected) => expect(dir.isAncestor(a, b)).toBe(expected));

  it('resellerOf is the closest reseller at or above', () => {
    expect(dir.resellerOf('grandchild')?.id).toBe('reseller');
    expect(dir.resellerOf('reseller')?.id).toBe('reseller');
    expect(dir.resellerOf('other')).toBeUndefined();
  });

  it('adds the system root and lists the tree', () => {
    expect(dir.get('system')).toMatchObject({ id: 'system', parentId: null });
    expect(dir.pathToRoot('grandchild')).toEqual(['grandchild', 'child', 'reseller', 'system']);
    expect(dir.childrenOf('reseller').map((a) => a.id).sort()).toEqual(['child', 'plain', 'sibling']);
    expect(dir.descendantsOf('child').sort()).toEqual(['child', 'grandchild']);
  });

  it('an account without a parent hangs below the system', () => {
    const d = new InMemoryAccountDirectory([{ id: 'lone', name: 'lone', parentId: null, reseller: false, superAdmin: false, allowNumberAdditions: false }]);
    expect(d.isAncestor('system', 'lone')).toBe(true);
    expect(d.childrenOf('system').map((a) => a.id)).toEqual(['lone']);
  });

  it('survives a cycle', () => {
    const d = new InMemoryAccountDirectory([
      { id: 'a', name: 'a', parentId: 'b', reseller: false, superAdmin: false, allowNumberAdditions: false },
      { id: 'b', name: 'b', parentId: 'a', reseller: false, superAdmin: false, allowNumberAdditions: false },
    ]);
    expect(d.isAncestor('b', 'a')).toBe(true);
    expect(d.isAncestor('c', 'a')).toBe(false);
  });

  it('upsert and remove', () => {
    const d = new InMemoryAccountDirectory([]);
    d.upsert({ id: 'x', name: 'x', parentId: 'system', reseller: true, superAdmin: false, allowNumberAdditions: false });
    expect(d.resellerOf('x')?.id).toBe('x');
    d.remove('x');
    expect(d.get('x')).toBeUndefined();
    d.remove('system');
    expect(d.get('system')).toBeDefined();
  });
  void E;
});
