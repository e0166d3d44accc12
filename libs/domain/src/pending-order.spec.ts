/** SPEC 4: a number bought from a carrier becomes ours only once the carrier confirms the order. */
import { decide, holdUntilConfirmed, withDisconnectAnswer } from './number/decide';
import { foldNumber } from './number/evolve';
import { FUTURE, N, discoveredNumber, given, makeCtx, table } from '@ledger/domain/test/fixture';
import type { NumberAcquired, NumberEvent, NumberReserved } from './types';

const acquired: NumberAcquired = {
  type: 'NumberAcquired.v1', at: '2024-06-01T00:00:00.000Z', from: 'discovery', accountId: 'child',
  prevAssignedTo: null, orderFromCarrier: true, features: {},
};
const reserved: NumberReserved = {
  type: 'NumberReserved.v1', at: '2024-06-01T00:00:00.000Z', from: 'discovery', accountId: 'child',
  prevAssignedTo: null, reserveHistory: ['child'], expiresAt: null, orderFromCarrier: true, features: {},
};
const pending = (then: NumberAcquired | NumberReserved = acquired, orderId: string | null = 'ord-1'): NumberEvent[] => [
  ...discoveredNumber('knm_telnyx', FUTURE),
  { type: 'NumberOrderPending.v1', at: then.at, module: 'knm_telnyx', orderId, accountId: then.accountId, then },
];

describe('holding a purchase until the carrier confirms it', () => {
  it('records the order as pending instead of the acquisition: still discovery, not held, no expiry', () => {
    const record = foldNumber(N, discoveredNumber('knm_telnyx', FUTURE));
    const events = holdUntilConfirmed(record, [acquired], { orderId: 'ord-1' });
    expect(events).toEqual([{ type: 'NumberOrderPending.v1', at: acquired.at, module: 'knm_telnyx', orderId: 'ord-1', accountId: 'child', then: acquired }]);
    expect(foldNumber(N, [...discoveredNumber('knm_telnyx', FUTURE), ...events])).toMatchObject({
      state: 'discovery', assignedTo: null, discoveryExpiresAt: null,
      pendingOrder: { module: 'knm_telnyx', orderId: 'ord-1', since: acquired.at, accountId: 'child' },
    });
  });

  it('leaves events that ordered nothing as they are', () => {
    const plain = { ...acquired, from: 'available' as const, orderFromCarrier: false };
    const record = foldNumber(N, given('available'));
    expect(holdUntilConfirmed(record, [plain], { orderId: 'x' })).toEqual([plain]);
  });

  it('puts the carrier\'s disconnect answer on the release that asked for it', () => {
    const [released] = decide(N, { type: 'ReleaseNumber' }, foldNumber(N, given('in_service', 'child', 'knm_telnyx')), makeCtx('child'));
    expect(withDisconnectAnswer([released], 'not_held')).toEqual([{ ...released, upstream: 'not_held' }]);
    const [kept] = decide(N, { type: 'ReleaseNumber' }, foldNumber(N, given('in_service', 'child', 'knm_telnyx', { reserveHistory: ['child', 'sibling'] })), makeCtx('child'));
    expect(withDisconnectAnswer([kept], 'disconnected')).toEqual([kept]);
  });
});

describe('SettleOrder and the commands a pending number refuses', () => {
  table([
    {
      rule: 'confirmed: the confirmation, then the acquisition decided when ordering (not ordered again)',
      given: pending(), as: 'system', when: { type: 'SettleOrder', outcome: 'confirmed', orderId: 'ord-1' },
      then: [
        { type: 'NumberOrderConfirmed.v1', orderId: 'ord-1', accountId: 'child' },
        { type: 'NumberAcquired.v1', from: 'discovery', accountId: 'child', orderFromCarrier: false },
      ],
      record: { state: 'in_service', assignedTo: 'child', pendingOrder: null },
    },
    {
      rule: 'confirmed: a pending reservation becomes the reservation',
      given: pending(reserved), as: 'system', when: { type: 'SettleOrder', outcome: 'confirmed', orderId: 'ord-1' },
      then: [{ type: 'NumberOrderConfirmed.v1' }, { type: 'NumberReserved.v1', accountId: 'child', orderFromCarrier: false }],
      record: { state: 'reserved', assignedTo: 'child', reserveHistory: ['child'] },
    },
    {
      rule: 'failed: says why, and the number leaves the account and the inventory',
      given: pending(), as: 'system', when: { type: 'SettleOrder', outcome: 'failed', orderId: 'ord-1', reason: 'number no longer available' },
      then: [{ type: 'NumberOrderFailed.v1', orderId: 'ord-1', accountId: 'child', reason: 'number no longer available' }],
      record: { state: 'deleted', assignedTo: null, prevAssignedTo: 'child', pendingOrder: null },
    },
    {
      rule: 'an order without carrier id settles by null',
      given: pending(acquired, null), as: 'system', when: { type: 'SettleOrder', outcome: 'confirmed', orderId: null },
      then: [{ type: 'NumberOrderConfirmed.v1', orderId: null }, { type: 'NumberAcquired.v1' }],
    },
    { rule: 'system only', given: pending(), as: 'child', when: { type: 'SettleOrder', outcome: 'confirmed', orderId: 'ord-1' }, error: 'unauthorized' },
    { rule: 'another order id is refused', given: pending(), as: 'system', when: { type: 'SettleOrder', outcome: 'confirmed', orderId: 'ord-2' }, error: 'invalid_state_transition' },
    {
      rule: 'nothing pending: nothing to settle',
      given: discoveredNumber('knm_telnyx', FUTURE), as: 'system', when: { type: 'SettleOrder', outcome: 'failed', orderId: 'ord-1' },
      error: 'invalid_state_transition',
    },
    { rule: 'pending: another account may not acquire it', given: pending(), as: 'sibling', when: { type: 'AcquireNumber' }, error: 'invalid_state_transition' },
    { rule: 'pending: the orderer may not order it twice', given: pending(), as: 'child', when: { type: 'AcquireNumber' }, error: 'invalid_state_transition' },
    { rule: 'pending: nobody reserves it', given: pending(), as: 'system', when: { type: 'ReserveNumber', accountId: 'sibling' }, error: 'invalid_state_transition' },
    { rule: 'pending: the discovery does not expire under it', given: pending(), as: 'system', when: { type: 'ExpireDiscovery', force: true }, error: 'invalid_state_transition' },
    { rule: 'pending: not deleted before the carrier answers', given: pending(), as: 'system', when: { type: 'DeleteNumber' }, error: 'invalid_state_transition' },
  ]);
});
