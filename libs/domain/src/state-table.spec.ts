/** SPEC 2: every row of the allowed-moves table, and the rule on knm_mdn. */
import { E, FUTURE, N, days, discoveredNumber, given, table } from '@ledger/domain/test/fixture';

describe('SPEC 2 - to reserved', () => {
  table([
    {
      rule: 'reserved <- reserved: a different account is reserved; history pushed; prevAssignedTo set',
      given: given('reserved', 'child'), as: 'reseller', when: { type: 'ReserveNumber', accountId: 'sibling' },
      then: [{ type: 'NumberReserved.v1', from: 'reserved', accountId: 'sibling', prevAssignedTo: 'child', reserveHistory: ['sibling', 'child'], orderFromCarrier: false }],
      record: { state: 'reserved', assignedTo: 'sibling', prevAssignedTo: 'child', reserveHistory: ['sibling', 'child'] },
    },
    {
      rule: 'reserved <- reserved: same account as the holder is no_change_required',
      given: given('reserved', 'child'), as: 'child', when: { type: 'ReserveNumber', accountId: 'child' }, error: 'no_change_required',
    },
    {
      rule: 'reserved <- reserved: same account by default (requester) is no_change_required',
      given: given('reserved', 'child'), as: 'child', when: { type: 'ReserveNumber' }, error: 'no_change_required',
    },
    {
      rule: 'reserved <- reserved: naming the holder is unauthorized for a requester who does not act for it (SPEC 12: no answer says who holds it)',
      given: given('reserved', 'child'), as: 'other', when: { type: 'ReserveNumber', accountId: 'child' }, error: 'unauthorized',
    },
    {
      rule: 'reserved <- reserved: no account named is unauthorized',
      given: given('reserved', 'child'), as: 'system', when: { type: 'ReserveNumber' }, error: 'unauthorized',
    },
    {
      rule: 'reserved <- reserved: the requester must be authorized on the holder',
      given: given('reserved', 'child'), as: 'sibling', when: { type: 'ReserveNumber', accountId: 'sibling' }, error: 'unauthorized',
    },
    {
      rule: 'reserved <- discovery: authorize, push history, acquire from the carrier',
      given: discoveredNumber('knm_telnyx', FUTURE), as: 'child', when: { type: 'ReserveNumber' },
      then: [{ type: 'NumberReserved.v1', from: 'discovery', accountId: 'child', reserveHistory: ['child'], orderFromCarrier: true }],
      record: { state: 'reserved', assignedTo: 'child', discoveryExpiresAt: null },
    },
    {
      rule: 'reserved <- discovery: unauthorized for an account the requester does not act for',
      given: discoveredNumber('knm_telnyx', FUTURE), as: 'other', when: { type: 'ReserveNumber', accountId: 'child' }, error: 'unauthorized',
    },
    {
      rule: 'reserved <- available: authorize, push history, carrier not contacted',
      given: given('available'), as: 'child', when: { type: 'ReserveNumber' },
      then: [{ type: 'NumberReserved.v1', from: 'available', accountId: 'child', prevAssignedTo: null, reserveHistory: ['child'], orderFromCarrier: false }],
    },
    {
      rule: 'reserved <- in_service: authorize, push history, carrier not contacted',
      given: given('in_service', 'child'), as: 'reseller', when: { type: 'ReserveNumber', accountId: 'child' },
      then: [{ type: 'NumberReserved.v1', from: 'in_service', accountId: 'child', reserveHistory: ['child'], orderFromCarrier: false }],
    },
    {
      rule: 'reserved <- in_service: unauthorized for an unrelated account',
      given: given('in_service', 'child'), as: 'other', when: { type: 'ReserveNumber' }, error: 'unauthorized',
    },
    {
      rule: 'reservation pushes the account onto the history unless it is already the head',
      given: given('in_service', 'child', 'knm_inventory', { reserveHistory: ['child', 'reseller'] }), as: 'child',
      when: { type: 'ReserveNumber' },
      then: [{ type: 'NumberReserved.v1', reserveHistory: ['child', 'reseller'] }],
    },
    { rule: 'reserved <- aging is invalid_state_transition', given: given('aging'), as: 'child', when: { type: 'ReserveNumber' }, error: 'invalid_state_transition' },
    { rule: 'reserved <- port_in is invalid_state_transition', given: given('port_in', 'child'), as: 'child', when: { type: 'ReserveNumber' }, error: 'invalid_state_transition' },
    { rule: 'reserved <- released is invalid_state_transition', given: given('released'), as: 'child', when: { type: 'ReserveNumber' }, error: 'invalid_state_transition' },
    { rule: 'reserved <- port_out is invalid_state_transition', given: given('port_out', 'child'), as: 'child', when: { type: 'ReserveNumber' }, error: 'invalid_state_transition' },
  ]);
});

describe('SPEC 2 - to in_service', () => {
  table([
    {
      rule: 'in_service <- in_service: same account is a no-op success',
      given: given('in_service', 'child'), as: 'child', when: { type: 'AcquireNumber' }, then: [],
    },
    {
      rule: 'in_service <- in_service: the same account named by a requester who does not act for it is unauthorized, not a no-op (SPEC 12)',
      given: given('in_service', 'child'), as: 'sibling', when: { type: 'AcquireNumber', accountId: 'child' }, error: 'unauthorized',
    },
    {
      rule: 'in_service <- in_service: an ancestor naming the holder is a no-op success',
      given: given('in_service', 'child'), as: 'reseller', when: { type: 'AcquireNumber', accountId: 'child' }, then: [],
    },
    {
      rule: 'in_service <- in_service: another account, authorized: moves, prevAssignedTo set, usage cleared',
      given: [...given('in_service', 'child'), E.usageSet([{ type: 'device', id: 'd1', accountId: 'child' }])],
      as: 'reseller', when: { type: 'AcquireNumber', accountId: 'sibling' },
      then: [{ type: 'NumberAcquired.v1', from: 'in_service', accountId: 'sibling', prevAssignedTo: 'child', orderFromCarrier: false }],
      record: { state: 'in_service', assignedTo: 'sibling', prevAssignedTo: 'child', usedBy: [] },
    },
    {
      rule: 'in_service <- in_service: another account, not authorized on the holder',
      given: given('in_service', 'child'), as: 'sibling', when: { type: 'AcquireNumber' }, error: 'unauthorized',
    },
    {
      rule: 'in_service <- discovery: authorize, acquire from the carrier',
      given: discoveredNumber('knm_telnyx', FUTURE), as: 'child', when: { type: 'AcquireNumber' },
      then: [{ type: 'NumberAcquired.v1', from: 'discovery', accountId: 'child', orderFromCarrier: true }],
      record: { state: 'in_service', assignedTo: 'child', discoveryExpiresAt: null },
    },
    {
      rule: 'in_service <- discovery: unauthorized for an account the requester does not act for',
      given: discoveredNumber('knm_telnyx', FUTURE), as: 'child', when: { type: 'AcquireNumber', accountId: 'other' }, error: 'unauthorized',
    },
    {
      rule: 'in_service <- port_in: authorize',
      given: given('port_in', 'child', 'knm_local'), as: 'child', when: { type: 'AcquireNumber' },
      then: [{ type: 'NumberAcquired.v1', from: 'port_in', accountId: 'child', prevAssignedTo: null }],
    },
    {
      rule: 'in_service <- port_in: unauthorized for another account',
      given: given('port_in', 'child', 'knm_local'), as: 'other', when: { type: 'AcquireNumber' }, error: 'unauthorized',
    },
    {
      rule: 'in_service <- available: no authorization needed, anyone may take it; carrier not contacted',
      given: given('available'), as: 'plain', when: { type: 'AcquireNumber' },
      then: [{ type: 'NumberAcquired.v1', from: 'available', accountId: 'plain', orderFromCarrier: false }],
    },
    {
      rule: 'in_service <- aging: anyone may re-take an aging number',
      given: given('aging', null, 'knm_inventory', { agingUntil: FUTURE }), as: 'other', when: { type: 'AcquireNumber' },
      then: [{ type: 'NumberAcquired.v1', from: 'aging', accountId: 'other' }],
      record: { state: 'in_service', agingUntil: null },
    },
    {
      rule: 'in_service <- reserved: the holder takes its reservation',
      given: given('reserved', 'child'), as: 'child', when: { type: 'AcquireNumber' },
      then: [{ type: 'NumberAcquired.v1', from: 'reserved', accountId: 'child', prevAssignedTo: null }],
      record: { reserveHistory: ['child'] },
    },
    {
      rule: 'in_service <- reserved: an ancestor of the holder (authorized) takes it',
      given: given('reserved', 'grandchild'), as: 'child', when: { type: 'AcquireNumber' },
      then: [{ type: 'NumberAcquired.v1', accountId: 'child', prevAssignedTo: 'grandchild' }],
    },
    {
      rule: 'in_service <- reserved: descendants may take what an ancestor reserved',
      given: given('reserved', 'reseller'), as: 'grandchild', when: { type: 'AcquireNumber' },
      then: [{ type: 'NumberAcquired.v1', from: 'reserved', accountId: 'grandchild', prevAssignedTo: 'reseller' }],
    },
    {
      rule: 'in_service <- reserved: an account that is neither above nor below the holder is refused',
      given: given('reserved', 'child'), as: 'sibling', when: { type: 'AcquireNumber' }, error: 'unauthorized',
    },
    { rule: 'in_service <- released is invalid_state_transition', given: given('released'), as: 'child', when: { type: 'AcquireNumber' }, error: 'invalid_state_transition' },
    { rule: 'in_service <- port_out is invalid_state_transition', given: given('port_out', 'child'), as: 'child', when: { type: 'AcquireNumber' }, error: 'invalid_state_transition' },
  ]);
});

describe('SPEC 2 - to available, aging, port_in', () => {
  table([
    {
      rule: 'available <- available: authorize (admin re-creates to change fields)',
      given: given('available'), as: 'admin', when: { type: 'AddNumber', state: 'available', carrierModule: 'knm_inum' },
      then: [{ type: 'NumberAdded.v1', from: 'available', state: 'available', carrierModule: 'knm_inum', assignedTo: null }],
    },
    {
      rule: 'available <- available: refused to a non-admin',
      given: given('available'), as: 'child', when: { type: 'AddNumber', state: 'available' }, error: 'unauthorized',
    },
    {
      rule: 'aging <- available: move',
      given: given('available'), as: 'system', when: { type: 'AddNumber', state: 'aging' },
      then: [{ type: 'NumberAdded.v1', from: 'available', state: 'aging', agingUntil: days(90) }],
    },
    {
      rule: 'aging <- aging: move',
      given: given('aging'), as: 'system', when: { type: 'AddNumber', state: 'aging' },
      then: [{ type: 'NumberAdded.v1', from: 'aging', state: 'aging', agingUntil: days(90) }],
    },
    {
      rule: 'aging <- released: move (released through the release pipeline)',
      given: given('released'), as: 'system', when: { type: 'ReleaseNumber' },
      then: [{ type: 'NumberReleased.v1', from: 'released', state: 'aging', agingUntil: days(90) }],
    },
    {
      rule: 'port_in <- port_in: move to another account',
      given: given('port_in', 'child', 'knm_local'), as: 'reseller', when: { type: 'PortIn', accountId: 'sibling' },
      then: [{ type: 'NumberPortInStarted.v1', from: 'port_in', accountId: 'sibling', prevAssignedTo: 'child' }],
      record: { state: 'port_in', assignedTo: 'sibling', carrierModule: 'knm_local' },
    },
    {
      rule: 'port_in <- port_in: same account is a no-op',
      given: given('port_in', 'child', 'knm_local'), as: 'child', when: { type: 'PortIn' }, then: [],
    },
    {
      rule: 'available <- aging: AgeNumber once the aging period has passed',
      given: given('aging', null, 'knm_inventory', { agingUntil: days(-1) }), as: 'system', when: { type: 'AgeNumber' },
      then: [{ type: 'NumberAged.v1', forced: false }],
      record: { state: 'available', agingUntil: null },
    },
    {
      rule: 'available <- aging: refused before the aging period has passed',
      given: given('aging', null, 'knm_inventory', { agingUntil: days(1) }), as: 'system', when: { type: 'AgeNumber' },
      error: 'invalid_state_transition',
    },
  ]);
});

describe('SPEC 2 - knm_mdn numbers may only ever be in_service', () => {
  const mdn = given('in_service', 'child', 'knm_mdn');
  table([
    { rule: 'mdn: reserve is refused', given: mdn, as: 'child', when: { type: 'ReserveNumber' }, error: 'invalid_state_transition' },
    { rule: 'mdn: re-create in another state is refused', given: mdn, as: 'system', when: { type: 'AddNumber', state: 'available' }, error: 'number_exists' },
    { rule: 'mdn: port-in is refused', given: mdn, as: 'child', when: { type: 'PortIn' }, error: 'number_exists' },
    {
      rule: 'mdn: in_service <- in_service to another account is allowed',
      given: mdn, as: 'reseller', when: { type: 'AcquireNumber', accountId: 'sibling' },
      then: [{ type: 'NumberAcquired.v1', accountId: 'sibling' }],
    },
    {
      rule: 'mdn: release deletes it (it bypasses the lifecycle)',
      given: mdn, as: 'child', when: { type: 'ReleaseNumber' },
      then: [{ type: 'NumberReleased.v1', state: 'deleted' }], record: { state: 'deleted' },
    },
  ]);
});

describe('SPEC 2 - commands on numbers that do not exist', () => {
  const deleted = [...given('available'), E.deleted({ from: 'available' })];
  table([
    { rule: 'ReserveNumber on a missing number', when: { type: 'ReserveNumber', accountId: 'child' }, error: 'not_found' },
    { rule: 'AcquireNumber on a missing number', when: { type: 'AcquireNumber', accountId: 'child' }, error: 'not_found' },
    { rule: 'ReleaseNumber on a missing number', when: { type: 'ReleaseNumber' }, error: 'not_found' },
    { rule: 'AgeNumber on a missing number', when: { type: 'AgeNumber' }, error: 'not_found' },
    { rule: 'DeleteNumber on a missing number', when: { type: 'DeleteNumber' }, error: 'not_found' },
    { rule: 'SetFeatures on a missing number', when: { type: 'SetFeatures', changes: {} }, error: 'not_found' },
    { rule: 'ExpireDiscovery on a missing number', when: { type: 'ExpireDiscovery' }, error: 'not_found' },
    { rule: 'SetUsage on a missing number', when: { type: 'SetUsage', usedBy: [] }, error: 'not_found' },
    { rule: 'AcquireNumber on a deleted number', given: deleted, when: { type: 'AcquireNumber', accountId: 'child' }, error: 'not_found' },
    { rule: 'DeleteNumber on a deleted number', given: deleted, when: { type: 'DeleteNumber' }, error: 'not_found' },
  ]);
  it('uses the fixture number', () => expect(N).toBe('+14155550100'));
});
