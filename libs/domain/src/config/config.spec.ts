/** SPEC 3, 4, 5, 9: the operator configuration, changed only by the operator and checked as recorded. */
import { deciderTable } from '@ledger/domain/test/decider-table';
import { configDecider, ConfigureNumberManager } from './decider';
import { defaultConfig } from './number-manager-config';
import type { ConfigEvent } from './events';

const at = '2024-06-01T00:00:00.000Z';
const operator = { accountId: 'system', isSystem: true };
const change = (changes: ConfigureNumberManager['changes'], requester = operator): ConfigureNumberManager => ({ type: 'ConfigureNumberManager', requester, changes, at });
const configured = (changes: object): ConfigEvent => ({ type: 'NumberManagerConfigured.v1', data: { config: { ...defaultConfig(), ...changes }, at } });

describe('SPEC 3/4/5/9 - configuring the number manager', () => {
  deciderTable(configDecider, [
    { rule: 'the SPEC defaults hold before any change', when: change({}), then: [{ data: { config: defaultConfig() } }] },
    { rule: 'only the system may change the configuration', when: change({ shouldAge: false }, { accountId: 'acme', isSystem: false }), error: 'unauthorized' },
    { rule: 'given settings replace the current ones', given: [configured({ agingPeriodDays: 30 })], when: change({ shouldAge: false }), then: [{ data: { config: { shouldAge: false, agingPeriodDays: 30 } } }] },
    { rule: 'SPEC 4: carrier modules may be named without the knm_ prefix', when: change({ carrierModules: ['telnyx' as never] }), then: [{ data: { config: { carrierModules: ['knm_telnyx'] } } }] },
    { rule: 'SPEC 5: a given deny list replaces the list', given: [configured({ features: { allow: null, deny: ['sms'] } })], when: change({ features: { deny: ['mms'] } as never }), then: [{ data: { config: { features: { allow: null, deny: ['mms'] } } } }] },
    { rule: 'SPEC 5: allow null restores every feature', given: [configured({ features: { allow: ['cnam'], deny: [] } })], when: change({ features: { allow: null } as never }), then: [{ data: { config: { features: { allow: null, deny: [] } } } }] },
    { rule: 'SPEC 3: the aging period is checked as recorded', when: change({ agingPeriodDays: 4000 }), error: 'validation_failed' },
    { rule: 'SPEC 9: the search prefix length is checked as recorded', when: change({ searchMinPrefixLength: 0 }), error: 'validation_failed' },
    { rule: 'an unchanged configuration is still recorded (the change is the operator\'s act)', given: [configured({})], when: change({}), then: [{ type: 'NumberManagerConfigured.v1' }] },
    {
      rule: 'settings an older event lacks take the defaults',
      given: [{ type: 'NumberManagerConfigured.v1', data: { config: { shouldAge: false } as never, at } }],
      when: change({}), then: [{ data: { config: { shouldAge: false, billInventoryNumbers: false, searchMinPrefixLength: 3 } } }],
    },
  ]);
});
