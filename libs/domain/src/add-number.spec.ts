/** SPEC 3, AddNumber: who may create, target states, defaults, re-creation, knm_mdn. */
import type { CarrierModule, NumberState } from './types';
import { E, N, days, deletedNumber, discoveredNumber, given, makeCtx, table, type Row } from '@ledger/domain/test/fixture';
import { LedgerError } from './errors';
import { decide } from './number/decide';
import { foldNumber } from './number/evolve';

describe('SPEC 12 - number_exists tells the state only to a requester who may read the number', () => {
  const refusal = (as: string) => {
    try {
      decide(N, { type: 'AddNumber', accountId: as }, foldNumber(N, given('in_service', 'child')), makeCtx(as));
    } catch (e) {
      return e as LedgerError;
    }
    throw new Error('not refused');
  };
  it('an unrelated account hears that it exists, not its state', () => {
    const err = refusal('other');
    expect([err.code, err.detail, err.extra]).toEqual(['number_exists', `number ${N} exists already`, { number: N }]);
  });
  it('its holder hears the state', () => {
    const err = refusal('child');
    expect([err.code, err.detail, err.extra]).toEqual(['number_exists', `number ${N} exists already (in_service)`, { number: N, state: 'in_service' }]);
  });
});

describe('SPEC 3 - AddNumber: existing numbers', () => {
  const existing = (state: NumberState, error: 'number_exists'): Row => ({
    rule: `an existing ${state} number is number_exists`,
    given: given(state, ['in_service', 'reserved', 'port_out'].includes(state) ? 'child' : null),
    as: 'system', when: { type: 'AddNumber', accountId: 'child' }, error,
  });
  table([
    existing('in_service', 'number_exists'),
    existing('reserved', 'number_exists'),
    existing('released', 'number_exists'),
    existing('port_out', 'number_exists'),
    { rule: 'an existing discovery number is number_exists', given: discoveredNumber(), as: 'system', when: { type: 'AddNumber', accountId: 'child' }, error: 'number_exists' },
    {
      rule: 'an existing available number may be re-created (module kept)',
      given: given('available'), as: 'child', when: { type: 'AddNumber' },
      then: [{ type: 'NumberAdded.v1', from: 'available', state: 'in_service', carrierModule: 'knm_inventory', assignedTo: 'child' }],
    },
    {
      rule: 'an existing aging number may be re-created',
      given: given('aging'), as: 'child', when: { type: 'AddNumber', state: 'reserved' },
      then: [{ type: 'NumberAdded.v1', from: 'aging', state: 'reserved', assignedTo: 'child', reserveHistory: ['child'], agingUntil: null }],
      record: { state: 'reserved', agingUntil: null },
    },
    {
      rule: 'an existing port_in number may be re-created by an account acting for its holder',
      given: given('port_in', 'child', 'knm_local'), as: 'child', when: { type: 'AddNumber' },
      then: [{ type: 'NumberAdded.v1', from: 'port_in', state: 'in_service', assignedTo: 'child', carrierModule: 'knm_local' }],
    },
    {
      rule: 'an existing port_in number of another account is number_is_porting',
      given: given('port_in', 'child', 'knm_local'), as: 'other', when: { type: 'AddNumber' }, error: 'number_is_porting',
    },
    {
      rule: 'a deleted number is created afresh',
      given: deletedNumber(), as: 'child', when: { type: 'AddNumber' },
      then: [{ type: 'NumberAdded.v1', from: null, state: 'in_service', carrierModule: 'knm_local', assignedTo: 'child', prevAssignedTo: null }],
      record: { exists: true, state: 'in_service', version: 3 },
    },
  ]);
});

describe('SPEC 3 - AddNumber: who may create', () => {
  table([
    {
      rule: 'admins may create (system, for a named account)',
      as: 'system', when: { type: 'AddNumber', accountId: 'child' },
      then: [{ type: 'NumberAdded.v1', number: '+14155550100', state: 'in_service', assignedTo: 'child' }],
    },
    {
      rule: 'admins may create (superAdmin account, for itself by default)',
      as: 'admin', when: { type: 'AddNumber' }, then: [{ type: 'NumberAdded.v1', state: 'in_service', assignedTo: 'admin' }],
    },
    {
      rule: 'accounts with allowNumberAdditions may create',
      as: 'child', when: { type: 'AddNumber' }, then: [{ type: 'NumberAdded.v1', state: 'in_service', assignedTo: 'child' }],
    },
    { rule: 'other accounts may not create', as: 'plain', when: { type: 'AddNumber' }, error: 'unauthorized' },
    {
      rule: 'anyone may create when the target state is port_in',
      as: 'plain', when: { type: 'AddNumber', state: 'port_in' },
      then: [{ type: 'NumberAdded.v1', state: 'port_in', assignedTo: 'plain', carrierModule: 'knm_local' }],
    },
    { rule: 'the system has no account of its own: assign_failure', as: 'system', when: { type: 'AddNumber' }, error: 'assign_failure' },
    { rule: 'an unknown account is assign_failure', as: 'system', when: { type: 'AddNumber', accountId: 'nobody' }, error: 'assign_failure' },
    { rule: 'a non-admin may not add for an unrelated account', as: 'child', when: { type: 'AddNumber', accountId: 'other' }, error: 'unauthorized' },
    {
      rule: 'a reseller may add for its sub-account',
      as: 'reseller', when: { type: 'AddNumber', accountId: 'grandchild' }, then: [{ type: 'NumberAdded.v1', assignedTo: 'grandchild' }],
    },
    { rule: 'a number that is not normalized E.164 is not_reconcilable', number: '4155550100', as: 'system', when: { type: 'AddNumber', accountId: 'child' }, error: 'not_reconcilable' },
    { rule: 'a number that is not a phone number is not_reconcilable', number: '+1', as: 'system', when: { type: 'AddNumber', accountId: 'child' }, error: 'not_reconcilable' },
  ]);
});

describe('SPEC 3 - AddNumber: target states and defaults', () => {
  const adminState = (state: NumberState, expected: object): Row => ({
    rule: `admins may choose ${state}`,
    as: 'system', when: { type: 'AddNumber', state, accountId: 'child', carrierModule: 'knm_inventory' },
    then: [{ type: 'NumberAdded.v1', state, ...expected }],
  });
  const refused = (state: NumberState): Row => ({
    rule: `nobody may create a ${state} number`,
    as: 'system', when: { type: 'AddNumber', state, accountId: 'child' }, error: 'invalid_state_transition',
  });
  table([
    adminState('aging', { assignedTo: null, agingUntil: days(90) }),
    adminState('available', { assignedTo: null, agingUntil: null }),
    adminState('in_service', { assignedTo: 'child' }),
    adminState('port_in', { assignedTo: 'child' }),
    adminState('reserved', { assignedTo: 'child', reserveHistory: ['child'] }),
    refused('discovery'), refused('released'), refused('deleted'), refused('port_out'),
    {
      rule: 'allowNumberAdditions accounts may choose in_service',
      as: 'child', when: { type: 'AddNumber', state: 'in_service' }, then: [{ type: 'NumberAdded.v1', state: 'in_service' }],
    },
    {
      rule: 'allowNumberAdditions accounts may choose reserved',
      as: 'child', when: { type: 'AddNumber', state: 'reserved' }, then: [{ type: 'NumberAdded.v1', state: 'reserved', reserveHistory: ['child'] }],
    },
    { rule: 'allowNumberAdditions accounts may not choose available', as: 'child', when: { type: 'AddNumber', state: 'available' }, error: 'unauthorized' },
    { rule: 'allowNumberAdditions accounts may not choose aging', as: 'child', when: { type: 'AddNumber', state: 'aging' }, error: 'unauthorized' },
    {
      rule: 'default: in_service, assigned to the requesting account, module knm_local',
      as: 'child', when: { type: 'AddNumber' },
      then: [{ type: 'NumberAdded.v1', state: 'in_service', assignedTo: 'child', carrierModule: 'knm_local', reserveHistory: [] }],
      record: { exists: true, state: 'in_service', assignedTo: 'child', version: 1, createdAt: '2024-06-01T00:00:00.000Z' },
    },
    {
      rule: 'ported-in numbers default to knm_local',
      as: 'system', when: { type: 'AddNumber', state: 'port_in', accountId: 'child' },
      then: [{ type: 'NumberAdded.v1', state: 'port_in', carrierModule: 'knm_local' }],
    },
    {
      rule: 'non-admins may only add knm_local numbers',
      as: 'child', when: { type: 'AddNumber', carrierModule: 'knm_inventory' }, error: 'unauthorized',
    },
    {
      rule: 'non-admins may not change the module of an existing number',
      given: given('available'), as: 'child', when: { type: 'AddNumber', carrierModule: 'knm_local' }, error: 'unauthorized',
    },
    {
      rule: 'knm_reserved is a search provider, not a module numbers have',
      as: 'system', when: { type: 'AddNumber', accountId: 'child', carrierModule: 'knm_reserved' }, error: 'validation_failed',
    },
    {
      rule: 'knm_bandwidth is refused, pointing to knm_bandwidth2',
      as: 'system', when: { type: 'AddNumber', accountId: 'child', carrierModule: 'knm_bandwidth' as CarrierModule },
      error: 'validation_failed', message: 'knm_bandwidth2',
    },
  ]);
});

describe('SPEC 3/4 - AddNumber: knm_mdn only via the mobile-services entry', () => {
  table([
    {
      rule: 'the mdn entry creates knm_mdn numbers in_service',
      as: 'system', when: { type: 'AddNumber', viaMdnEntry: true, accountId: 'child' },
      then: [{ type: 'NumberAdded.v1', state: 'in_service', carrierModule: 'knm_mdn', assignedTo: 'child' }],
    },
    {
      rule: 'knm_mdn cannot be created through the numbers API',
      as: 'system', when: { type: 'AddNumber', carrierModule: 'knm_mdn', accountId: 'child' }, error: 'validation_failed',
    },
    {
      rule: 'knm_mdn numbers are always created in_service',
      as: 'system', when: { type: 'AddNumber', viaMdnEntry: true, state: 'reserved', accountId: 'child' }, error: 'invalid_state_transition',
    },
    {
      rule: 'the mdn entry creates knm_mdn numbers only',
      as: 'system', when: { type: 'AddNumber', viaMdnEntry: true, carrierModule: 'knm_local', accountId: 'child' }, error: 'validation_failed',
    },
    { rule: 'the mdn entry is system-only', as: 'child', when: { type: 'AddNumber', viaMdnEntry: true }, error: 'unauthorized' },
    { rule: 'the mdn entry is system-only, not for super admins either', as: 'admin', when: { type: 'AddNumber', viaMdnEntry: true, accountId: 'child' }, error: 'unauthorized' },
  ]);
});

describe('SPEC 4 - knm_managed pools', () => {
  const pool = given('available', null, 'knm_managed', { poolAccountId: 'child' });
  table([
    {
      rule: 'the operator generates managed numbers into an account pool (available, unassigned)',
      as: 'system', when: { type: 'AddNumber', state: 'available', carrierModule: 'knm_managed', accountId: 'child' },
      then: [{ type: 'NumberAdded.v1', state: 'available', assignedTo: null, poolAccountId: 'child' }],
      record: { poolAccountId: 'child', assignedTo: null },
    },
    {
      rule: 'a managed number needs its pool account',
      as: 'system', when: { type: 'AddNumber', state: 'available', carrierModule: 'knm_managed' }, error: 'assign_failure',
    },
    {
      rule: 'the pool account takes a managed number',
      given: pool, as: 'child', when: { type: 'AcquireNumber' }, then: [{ type: 'NumberAcquired.v1', accountId: 'child' }],
    },
    {
      rule: 'a descendant of the pool account takes a managed number',
      given: pool, as: 'grandchild', when: { type: 'AcquireNumber' }, then: [{ type: 'NumberAcquired.v1', accountId: 'grandchild' }],
    },
    { rule: 'an account outside the pool may not take it', given: pool, as: 'sibling', when: { type: 'AcquireNumber' }, error: 'unauthorized' },
    { rule: 'an account outside the pool may not reserve it', given: pool, as: 'other', when: { type: 'ReserveNumber' }, error: 'unauthorized' },
    {
      rule: 'a released managed number ages and stays in its pool',
      given: [...pool, E.acquired('child')], as: 'child', when: { type: 'ReleaseNumber' },
      then: [{ type: 'NumberReleased.v1', state: 'aging' }], record: { state: 'aging', poolAccountId: 'child', assignedTo: null },
    },
  ]);
});
