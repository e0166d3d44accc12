/** AgeNumber, discovery (DiscoverNumber / ExpireDiscovery), PortIn, SetUsage. */
import { E, FUTURE, PAST, days, deletedNumber, discoveredNumber, given, table } from '@ledger/domain/test/fixture';

const integrations = { carrierModules: ['knm_local', 'knm_telnyx', 'knm_bandwidth2'] as never };

describe('SPEC 2 - AgeNumber (sweeper)', () => {
  const aging = (until: string) => given('aging', null, 'knm_inventory', { agingUntil: until });
  table([
    { rule: 'ages a number whose period has passed', given: aging(PAST), as: 'system', when: { type: 'AgeNumber' }, then: [{ type: 'NumberAged.v1', forced: false }], record: { state: 'available' } },
    { rule: 'ages a number exactly at agingUntil', given: aging(days(0)), as: 'system', when: { type: 'AgeNumber' }, then: [{ type: 'NumberAged.v1' }] },
    { rule: 'refuses before agingUntil', given: aging(FUTURE), as: 'system', when: { type: 'AgeNumber' }, error: 'invalid_state_transition' },
    { rule: 'force ages before agingUntil', given: aging(FUTURE), as: 'system', when: { type: 'AgeNumber', force: true }, then: [{ type: 'NumberAged.v1', forced: true }], record: { state: 'available', agingUntil: null } },
    { rule: 'only the system ages numbers (not even a superAdmin account)', given: aging(PAST), as: 'admin', when: { type: 'AgeNumber' }, error: 'unauthorized' },
    { rule: 'only from aging', given: given('available'), as: 'system', when: { type: 'AgeNumber' }, error: 'invalid_state_transition' },
    { rule: 'not from released', given: given('released'), as: 'system', when: { type: 'AgeNumber', force: true }, error: 'invalid_state_transition' },
  ]);
});

describe('Discovery', () => {
  table([
    {
      rule: 'DiscoverNumber creates a discovery number expiring after discoveryExpiryDays',
      as: 'child', config: integrations, when: { type: 'DiscoverNumber', carrierModule: 'knm_telnyx' },
      then: [{ type: 'NumberDiscovered.v1', number: '+14155550100', carrierModule: 'knm_telnyx', expiresAt: days(1) }],
      record: { state: 'discovery', assignedTo: null, discoveryExpiresAt: days(1), carrierModule: 'knm_telnyx' },
    },
    {
      rule: 'the discovery expiry is configurable',
      as: 'system', config: { ...integrations, discoveryExpiryDays: 3 }, when: { type: 'DiscoverNumber', carrierModule: 'knm_bandwidth2' },
      then: [{ type: 'NumberDiscovered.v1', expiresAt: days(3) }],
    },
    {
      rule: 'a deleted number may be discovered again',
      given: deletedNumber(), as: 'system', config: integrations, when: { type: 'DiscoverNumber', carrierModule: 'knm_telnyx' },
      then: [{ type: 'NumberDiscovered.v1' }], record: { state: 'discovery', version: 3 },
    },
    {
      rule: 'SPEC 12: found through a reseller\'s own carrier account, the number joins that reseller\'s pool',
      as: 'system', config: integrations, when: { type: 'DiscoverNumber', carrierModule: 'knm_telnyx', foundFor: 'reseller' },
      then: [{ type: 'NumberDiscovered.v1', poolAccountId: 'reseller' }], record: { state: 'discovery', poolAccountId: 'reseller' },
    },
    {
      rule: 'SPEC 12: a reseller\'s discovery is taken inside its subtree',
      given: [E.discovered({ poolAccountId: 'reseller' })], as: 'child', config: integrations, when: { type: 'AcquireNumber' },
      then: [{ type: 'NumberAcquired.v1', accountId: 'child' }], record: { state: 'in_service', poolAccountId: 'reseller' },
    },
    {
      rule: 'SPEC 12: another tenant may not take a reseller\'s discovery, and hears only what was refused',
      given: [E.discovered({ poolAccountId: 'reseller' })], as: 'other', config: integrations, when: { type: 'AcquireNumber' },
      error: 'unauthorized', message: 'you may not acquire +14155550100',
    },
    {
      rule: 'SPEC 12: found again through another carrier account, the last finder holds the offer (fresh expiry, usage kept)',
      given: [E.discovered({ poolAccountId: 'reseller' }), E.usageSet([{ type: 'device', id: 'd1', accountId: 'other' }])],
      as: 'system', config: integrations, when: { type: 'DiscoverNumber', carrierModule: 'knm_telnyx' },
      then: [{ type: 'NumberDiscovered.v1', expiresAt: days(1) }], record: { state: 'discovery', poolAccountId: null, usedBy: [{ type: 'device', id: 'd1', accountId: 'other' }] },
    },
    {
      rule: 'found again through the same carrier account, nothing is recorded',
      given: [E.discovered({ poolAccountId: 'reseller' })], as: 'system', config: integrations,
      when: { type: 'DiscoverNumber', carrierModule: 'knm_telnyx', foundFor: 'reseller' }, error: 'number_exists',
    },
    {
      rule: 'SPEC 12: released to nobody, a number a reseller\'s own account bought leaves that reseller\'s pool (given back upstream)',
      given: [E.discovered({ poolAccountId: 'reseller' }), E.acquired('child', { from: 'discovery', orderFromCarrier: true })],
      as: 'child', config: integrations, when: { type: 'ReleaseNumber' },
      then: [{ type: 'NumberReleased.v1', assignedTo: null }], record: { poolAccountId: null },
    },
    { rule: 'an existing number is not discovered', given: given('available'), as: 'system', config: integrations, when: { type: 'DiscoverNumber', carrierModule: 'knm_telnyx' }, error: 'number_exists' },
    { rule: 'only integration modules discover numbers', as: 'system', config: integrations, when: { type: 'DiscoverNumber', carrierModule: 'knm_local' }, error: 'validation_failed' },
    { rule: 'the module must be enabled', as: 'system', when: { type: 'DiscoverNumber', carrierModule: 'knm_telnyx' }, error: 'validation_failed' },
    {
      rule: 'ExpireDiscovery moves an expired discovery number to deleted',
      given: discoveredNumber('knm_telnyx', PAST), as: 'system', when: { type: 'ExpireDiscovery' },
      then: [{ type: 'NumberDiscoveryExpired.v1' }], record: { state: 'deleted', discoveryExpiresAt: null },
    },
    { rule: 'ExpireDiscovery refuses before expiry', given: discoveredNumber('knm_telnyx', FUTURE), as: 'system', when: { type: 'ExpireDiscovery' }, error: 'invalid_state_transition' },
    { rule: 'ExpireDiscovery with force (purge) before expiry', given: discoveredNumber('knm_telnyx', FUTURE), as: 'system', when: { type: 'ExpireDiscovery', force: true }, then: [{ type: 'NumberDiscoveryExpired.v1' }] },
    { rule: 'ExpireDiscovery only on discovery numbers', given: given('available'), as: 'system', when: { type: 'ExpireDiscovery' }, error: 'invalid_state_transition' },
    { rule: 'ExpireDiscovery is system only', given: discoveredNumber('knm_telnyx', PAST), as: 'admin', when: { type: 'ExpireDiscovery' }, error: 'unauthorized' },
    {
      rule: 'an acquired discovery number does not expire',
      given: [...discoveredNumber('knm_telnyx', PAST), E.acquired('child', { from: 'discovery', orderFromCarrier: true })],
      as: 'system', when: { type: 'ExpireDiscovery' }, error: 'invalid_state_transition',
    },
  ]);
});

describe('PortIn', () => {
  table([
    {
      rule: 'a new number is created port_in with module knm_local',
      as: 'plain', when: { type: 'PortIn' },
      then: [{ type: 'NumberPortInStarted.v1', from: null, accountId: 'plain', carrierModule: 'knm_local' }],
      record: { state: 'port_in', assignedTo: 'plain', carrierModule: 'knm_local', exists: true },
    },
    { rule: 'a deleted number is ported in afresh', given: deletedNumber(), as: 'child', when: { type: 'PortIn' }, then: [{ type: 'NumberPortInStarted.v1', from: null }], record: { carrierModule: 'knm_local' } },
    {
      rule: 'an available number is re-created port_in (module kept)',
      given: given('available'), as: 'child', when: { type: 'PortIn' },
      then: [{ type: 'NumberPortInStarted.v1', from: 'available', carrierModule: 'knm_inventory' }],
    },
    { rule: 'a number in service is number_exists', given: given('in_service', 'child'), as: 'child', when: { type: 'PortIn' }, error: 'number_exists' },
    { rule: 'a port pending for another account is number_is_porting', given: given('port_in', 'child'), as: 'other', when: { type: 'PortIn' }, error: 'number_is_porting' },
    { rule: 'porting in for an unrelated account is unauthorized', as: 'child', when: { type: 'PortIn', accountId: 'other' }, error: 'unauthorized' },
    { rule: 'the system must name the account', as: 'system', when: { type: 'PortIn' }, error: 'assign_failure' },
    { rule: 'an unknown account is assign_failure', as: 'system', when: { type: 'PortIn', accountId: 'ghost' }, error: 'assign_failure' },
  ]);
});

describe('SetUsage (SPEC 7 feed)', () => {
  const trunk = { type: 'trunk' as const, id: 't1', accountId: 'child' };
  table([
    {
      rule: 'sets usage to exactly the given services',
      given: given('in_service', 'child'), as: 'system', when: { type: 'SetUsage', usedBy: [trunk, trunk] },
      then: [{ type: 'NumberUsageSet.v1', usedBy: [trunk] }], record: { usedBy: [trunk] },
    },
    { rule: 'unchanged usage: no events', given: [...given('in_service', 'child'), E.usageSet([trunk])], as: 'system', when: { type: 'SetUsage', usedBy: [trunk] }, then: [] },
    { rule: 'admins only', given: given('in_service', 'child'), as: 'child', when: { type: 'SetUsage', usedBy: [trunk] }, error: 'unauthorized' },
    { rule: 'invalid service type', given: given('in_service', 'child'), as: 'system', when: { type: 'SetUsage', usedBy: [{ type: 'fridge' as never, id: 'x', accountId: 'child' }] }, error: 'validation_failed' },
  ]);
});
