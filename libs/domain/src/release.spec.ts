/** SPEC 3, ReleaseNumber: the pipeline, step by step; DeleteNumber; expiring reservations. */
import { E, FUTURE, PAST, days, discoveredNumber, given, table } from '@ledger/domain/test/fixture';

const inService = (extra = {}) => given('in_service', 'child', 'knm_inventory', extra);

describe('SPEC 3 - release step 1: allowed states', () => {
  table([
    { rule: 'from released', given: given('released'), as: 'system', when: { type: 'ReleaseNumber' }, then: [{ type: 'NumberReleased.v1', from: 'released' }] },
    { rule: 'from reserved', given: given('reserved', 'child'), as: 'child', when: { type: 'ReleaseNumber' }, then: [{ type: 'NumberReleased.v1', from: 'reserved' }] },
    { rule: 'from port_in', given: given('port_in', 'child'), as: 'child', when: { type: 'ReleaseNumber' }, then: [{ type: 'NumberReleased.v1', from: 'port_in' }] },
    { rule: 'from in_service', given: inService(), as: 'child', when: { type: 'ReleaseNumber' }, then: [{ type: 'NumberReleased.v1', from: 'in_service' }] },
    { rule: 'not from available', given: given('available'), as: 'system', when: { type: 'ReleaseNumber' }, error: 'invalid_state_transition' },
    { rule: 'not from aging', given: given('aging'), as: 'system', when: { type: 'ReleaseNumber' }, error: 'invalid_state_transition' },
    { rule: 'not from discovery', given: discoveredNumber('knm_telnyx', FUTURE), as: 'system', when: { type: 'ReleaseNumber' }, error: 'invalid_state_transition' },
    { rule: 'not from port_out', given: given('port_out', 'child'), as: 'system', when: { type: 'ReleaseNumber' }, error: 'invalid_state_transition' },
    {
      rule: 'a knm_local number may be released from any state (available)',
      given: given('available', null, 'knm_local'), as: 'system', when: { type: 'ReleaseNumber' },
      then: [{ type: 'NumberReleased.v1', from: 'available', state: 'deleted' }],
    },
    {
      rule: 'a knm_local number may be released from any state (aging)',
      given: given('aging', null, 'knm_local'), as: 'system', when: { type: 'ReleaseNumber' },
      then: [{ type: 'NumberReleased.v1', from: 'aging', state: 'deleted' }],
    },
    {
      rule: 'the state is checked before authorization',
      given: given('available'), as: 'other', when: { type: 'ReleaseNumber' }, error: 'invalid_state_transition',
    },
  ]);
});

describe('SPEC 3 - release step 2: authorize', () => {
  table([
    { rule: 'an unrelated account may not release', given: inService(), as: 'other', when: { type: 'ReleaseNumber' }, error: 'unauthorized' },
    { rule: 'a sibling may not release', given: inService(), as: 'sibling', when: { type: 'ReleaseNumber' }, error: 'unauthorized' },
    { rule: 'a child may not release its parent\'s number', given: given('in_service', 'reseller'), as: 'child', when: { type: 'ReleaseNumber' }, error: 'unauthorized' },
    { rule: 'a reseller may release its child\'s number', given: inService(), as: 'reseller', when: { type: 'ReleaseNumber' }, then: [{ type: 'NumberReleased.v1' }] },
    { rule: 'a number with no holder: admins only', given: given('released'), as: 'child', when: { type: 'ReleaseNumber' }, error: 'unauthorized' },
  ]);
});

describe('SPEC 3 - release step 3: reset features', () => {
  table([
    {
      rule: 'charged and platform features are removed',
      given: [...inService(), E.featuresSet({ e911: { postal_code: '94103' }, cnam: { inbound: true }, ringback: { early: 'x' } })],
      as: 'child', when: { type: 'ReleaseNumber' },
      then: [{ type: 'NumberReleased.v1', features: {} }], record: { features: {} },
    },
    {
      rule: 'features are reset also when the history is unwound',
      given: [...inService({ reserveHistory: ['child', 'reseller'] }), E.featuresSet({ cnam: { inbound: true } })],
      as: 'child', when: { type: 'ReleaseNumber' },
      then: [{ type: 'NumberReleased.v1', state: 'reserved', features: {} }],
    },
    {
      rule: 'local numbers keep no feature (their local marker is a read-only flag of the carrier policy)',
      given: [...given('in_service', 'child', 'knm_local'), E.featuresSet({ ringback: { early: 'x' } })],
      as: 'child', when: { type: 'ReleaseNumber' }, then: [{ type: 'NumberReleased.v1', features: {} }],
    },
  ]);
});

describe('SPEC 3 - release step 4: unwind the reservation history', () => {
  table([
    {
      rule: '[current, previous]: back to previous, reserved, history loses its head',
      given: given('reserved', 'child', 'knm_inventory', { reserveHistory: ['child', 'reseller'] }),
      as: 'child', when: { type: 'ReleaseNumber' },
      then: [{ type: 'NumberReleased.v1', state: 'reserved', assignedTo: 'reseller', prevAssignedTo: 'child', reserveHistory: ['reseller'], disconnectFromCarrier: false }],
      record: { state: 'reserved', assignedTo: 'reseller', reserveHistory: ['reseller'] },
    },
    {
      rule: '[current, previous, older]: back to previous, history keeps the rest',
      given: inService({ reserveHistory: ['child', 'sibling', 'reseller'] }),
      as: 'reseller', when: { type: 'ReleaseNumber' },
      then: [{ type: 'NumberReleased.v1', state: 'reserved', assignedTo: 'sibling', reserveHistory: ['sibling', 'reseller'] }],
    },
    {
      rule: '[current] only: unassigned, history emptied',
      given: given('reserved', 'child'), as: 'child', when: { type: 'ReleaseNumber' },
      then: [{ type: 'NumberReleased.v1', assignedTo: null, prevAssignedTo: 'child', reserveHistory: [] }],
      record: { assignedTo: null, prevAssignedTo: 'child', reserveHistory: [] },
    },
    {
      rule: 'previous accounts that no longer exist are skipped',
      given: inService({ reserveHistory: ['child', 'gone'] }), as: 'child', when: { type: 'ReleaseNumber' },
      then: [{ type: 'NumberReleased.v1', assignedTo: null, reserveHistory: [] }],
    },
  ]);
});

describe('SPEC 3 - release step 5: unassigned numbers', () => {
  table([
    {
      rule: 'default: aging with agingUntil = now + 90 days',
      given: inService(), as: 'child', when: { type: 'ReleaseNumber' },
      then: [{ type: 'NumberReleased.v1', state: 'aging', agingUntil: days(90), disconnectFromCarrier: false, reason: 'requested' }],
      record: { state: 'aging', agingUntil: days(90), assignedTo: null },
    },
    {
      rule: 'agingUntil follows the configured aging period',
      given: inService(), as: 'child', config: { agingPeriodDays: 30 }, when: { type: 'ReleaseNumber' },
      then: [{ type: 'NumberReleased.v1', state: 'aging', agingUntil: days(30) }],
    },
    {
      rule: 'shouldAge false: the configured releasedState (available)',
      given: inService(), as: 'child', config: { shouldAge: false }, when: { type: 'ReleaseNumber' },
      then: [{ type: 'NumberReleased.v1', state: 'available', agingUntil: null }],
    },
    {
      rule: 'shouldAge false: the configured releasedState (released)',
      given: inService(), as: 'child', config: { shouldAge: false, releasedState: 'released' }, when: { type: 'ReleaseNumber' },
      then: [{ type: 'NumberReleased.v1', state: 'released' }],
    },
    {
      rule: 'shouldAge wins over releasedState',
      given: inService(), as: 'child', config: { releasedState: 'released' }, when: { type: 'ReleaseNumber' },
      then: [{ type: 'NumberReleased.v1', state: 'aging' }],
    },
    {
      rule: 'shouldPermanentlyDelete: deleted',
      given: inService(), as: 'child', config: { shouldPermanentlyDelete: true }, when: { type: 'ReleaseNumber' },
      then: [{ type: 'NumberReleased.v1', state: 'deleted', agingUntil: null }], record: { state: 'deleted' },
    },
    {
      rule: 'shouldPermanentlyDelete does not apply to a number going back to a previous reservation',
      given: inService({ reserveHistory: ['child', 'reseller'] }), as: 'child', config: { shouldPermanentlyDelete: true },
      when: { type: 'ReleaseNumber' }, then: [{ type: 'NumberReleased.v1', state: 'reserved' }],
    },
    {
      rule: 'knm_local: deleted (bypasses the lifecycle)',
      given: given('in_service', 'child', 'knm_local'), as: 'child', when: { type: 'ReleaseNumber' },
      then: [{ type: 'NumberReleased.v1', state: 'deleted' }],
    },
    {
      rule: 'knm_mdn: deleted (bypasses the lifecycle)',
      given: given('in_service', 'child', 'knm_mdn'), as: 'child', when: { type: 'ReleaseNumber' },
      then: [{ type: 'NumberReleased.v1', state: 'deleted' }],
    },
    {
      rule: 'an unassigned integration number is disconnected from its carrier',
      given: given('in_service', 'child', 'knm_telnyx'), as: 'child', when: { type: 'ReleaseNumber' },
      then: [{ type: 'NumberReleased.v1', state: 'aging', disconnectFromCarrier: true }],
    },
    {
      rule: 'an integration number going back to a previous reservation is not disconnected',
      given: given('in_service', 'child', 'knm_telnyx', { reserveHistory: ['child', 'reseller'] }), as: 'child',
      when: { type: 'ReleaseNumber' }, then: [{ type: 'NumberReleased.v1', state: 'reserved', disconnectFromCarrier: false }],
    },
    {
      rule: 'usage is cleared when the number leaves its holder',
      given: [...inService(), E.usageSet([{ type: 'user', id: 'u1', accountId: 'child' }])], as: 'child',
      when: { type: 'ReleaseNumber' }, then: [{ type: 'NumberReleased.v1' }], record: { usedBy: [] },
    },
  ]);
});

describe('SPEC 3 - expiring reservations go through the release pipeline', () => {
  const expiring = (expiresAt: string) => [...given('available'), E.reserved('child', { expiresAt })];
  table([
    {
      rule: 'a reservation may carry expiresAt (in the future)',
      given: given('available'), as: 'child', when: { type: 'ReserveNumber', expiresAt: FUTURE },
      then: [{ type: 'NumberReserved.v1', expiresAt: FUTURE }], record: { reservationExpiresAt: FUTURE },
    },
    { rule: 'expiresAt in the past is validation_failed', given: given('available'), as: 'child', when: { type: 'ReserveNumber', expiresAt: PAST }, error: 'validation_failed' },
    { rule: 'expiresAt that is not an instant is validation_failed', given: given('available'), as: 'child', when: { type: 'ReserveNumber', expiresAt: 'tomorrow' }, error: 'validation_failed' },
    {
      rule: 'the sweeper releases an expired reservation',
      given: expiring(PAST), as: 'system', when: { type: 'ReleaseNumber', reason: 'reservation_expired' },
      then: [{ type: 'NumberReleased.v1', from: 'reserved', state: 'aging', reason: 'reservation_expired' }],
      record: { reservationExpiresAt: null },
    },
    { rule: 'a reservation that has not expired is not released by the sweeper', given: expiring(FUTURE), as: 'system', when: { type: 'ReleaseNumber', reason: 'reservation_expired' }, error: 'invalid_state_transition' },
    { rule: 'only the system expires reservations', given: expiring(PAST), as: 'child', when: { type: 'ReleaseNumber', reason: 'reservation_expired' }, error: 'unauthorized' },
    { rule: 'a number that is not reserved does not expire', given: inService(), as: 'system', when: { type: 'ReleaseNumber', reason: 'reservation_expired' }, error: 'invalid_state_transition' },
  ]);
});

describe('SPEC 3 - DeleteNumber (hard): admins only', () => {
  table([
    {
      rule: 'the system deletes a number in service',
      given: inService(), as: 'system', when: { type: 'DeleteNumber' },
      then: [{ type: 'NumberDeleted.v1', from: 'in_service', prevAssignedTo: 'child', disconnectFromCarrier: false }],
      record: { state: 'deleted', assignedTo: null, prevAssignedTo: 'child', features: {}, usedBy: [] },
    },
    { rule: 'a superAdmin account deletes an available number', given: given('available'), as: 'admin', when: { type: 'DeleteNumber' }, then: [{ type: 'NumberDeleted.v1', from: 'available' }] },
    { rule: 'an admin deletes an aging number', given: given('aging'), as: 'admin', when: { type: 'DeleteNumber' }, then: [{ type: 'NumberDeleted.v1', from: 'aging' }] },
    { rule: 'the holder may not delete', given: inService(), as: 'child', when: { type: 'DeleteNumber' }, error: 'unauthorized' },
    { rule: 'a reseller may not delete', given: inService(), as: 'reseller', when: { type: 'DeleteNumber' }, error: 'unauthorized' },
    {
      rule: 'deleting a held integration number disconnects it upstream',
      given: given('in_service', 'child', 'knm_bandwidth2'), as: 'system', when: { type: 'DeleteNumber' },
      then: [{ type: 'NumberDeleted.v1', disconnectFromCarrier: true }],
    },
  ]);
});
