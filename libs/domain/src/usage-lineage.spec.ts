/** SPEC 12: "Usage recorded by another tenant's service never changes a number the registering account could not act on." */
import { E, given, table } from '@ledger/domain/test/fixture';

const desk = (accountId: string) => ({ type: 'device' as const, id: `desk-${accountId}`, accountId });

describe('SPEC 12 - a number records the usage of its owner\'s lineage only', () => {
  table([
    {
      rule: 'SetUsage leaves out the services of accounts outside the holder\'s lineage',
      given: given('in_service', 'child'), as: 'system', when: { type: 'SetUsage', usedBy: [desk('other'), desk('child'), desk('reseller')] },
      then: [{ type: 'NumberUsageSet.v1', usedBy: [desk('child'), desk('reseller')] }],
    },
    {
      rule: 'SetUsage with only another tenant\'s service changes nothing on a held number',
      given: given('in_service', 'child'), as: 'system', when: { type: 'SetUsage', usedBy: [desk('other')] }, then: [],
    },
    {
      rule: 'a free number records anyone\'s service',
      given: given('available'), as: 'system', when: { type: 'SetUsage', usedBy: [desk('other')] },
      then: [{ type: 'NumberUsageSet.v1', usedBy: [desk('other')] }],
    },
    {
      rule: 'a discovery is nobody\'s, whoever\'s carrier account found it: it records anyone\'s service',
      given: [E.discovered({ poolAccountId: 'reseller' })], as: 'system', when: { type: 'SetUsage', usedBy: [desk('other')] },
      then: [{ type: 'NumberUsageSet.v1', usedBy: [desk('other')] }],
    },
    {
      rule: 'taking a free number drops the usage of services outside the taker\'s lineage, in the same decision',
      given: [...given('available'), E.usageSet([desk('other'), desk('child')])], as: 'child', when: { type: 'AcquireNumber' },
      then: [{ type: 'NumberAcquired.v1' }, { type: 'NumberUsageSet.v1', usedBy: [desk('child')] }],
      record: { state: 'in_service', assignedTo: 'child', usedBy: [desk('child')] },
    },
    {
      rule: 'taking a free number whose users are all in the taker\'s lineage keeps them, one event',
      given: [...given('available'), E.usageSet([desk('child')])], as: 'child', when: { type: 'AcquireNumber' },
      then: [{ type: 'NumberAcquired.v1' }], record: { usedBy: [desk('child')] },
    },
  ]);
});
