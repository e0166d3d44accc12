/** SPEC 12 (secrets) and SPEC 4 (carrier modules): carrier settings per scope. */
import { deciderTable } from '@ledger/domain/test/decider-table';
import { carrierSettingsDecider } from './decider';
import type { CarrierSettingsEvent, SealedCredentials } from './events';

const at = '2024-06-01T00:00:00.000Z';
const sealed: SealedCredentials = { keyId: 'k1', iv: 'aXY=', data: 'ZGF0YQ==', tag: 'dGFn' };
const legacy: CarrierSettingsEvent = { type: 'CarrierSettingsConfigured.v1', data: { module: 'knm_telnyx', settings: { timeoutMs: 2000, credentials: { token: 'clear' } }, at } };

describe('SPEC 12 - carrier credentials are recorded only sealed', () => {
  deciderTable(carrierSettingsDecider, [
    {
      rule: 'the module settings are recorded with the credentials sealed',
      when: { type: 'ConfigureCarrierModule', module: 'knm_telnyx', settings: { timeoutMs: 2000 }, sealedCredentials: sealed, at },
      then: [{ type: 'CarrierSettingsConfigured.v2', data: { module: 'knm_telnyx', settings: { timeoutMs: 2000 }, sealedCredentials: sealed } }],
      state: { modules: { knm_telnyx: { sealedCredentials: sealed } } },
    },
    {
      rule: 'a settings document carrying credentials in clear is refused',
      when: { type: 'ConfigureCarrierModule', module: 'knm_telnyx', settings: { credentials: { token: 't' } }, sealedCredentials: null, at },
      error: 'validation_failed',
    },
    {
      rule: 'a configuration replaces the module\'s whole document',
      given: [legacy], when: { type: 'ConfigureCarrierModule', module: 'knm_telnyx', settings: { baseUrl: 'https://x' }, sealedCredentials: null, at },
      then: [{ type: 'CarrierSettingsConfigured.v2' }],
      state: { modules: { knm_telnyx: { settings: { baseUrl: 'https://x' }, sealedCredentials: null } } },
    },
    {
      rule: 'removing the scope\'s credentials (crypto-shredding) records how many keys were destroyed; clear legacy credentials go too',
      given: [legacy], when: { type: 'ShredCarrierCredentials', keys: 2, at },
      then: [{ type: 'CarrierCredentialsShredded.v1', data: { keys: 2 } }],
      state: { modules: { knm_telnyx: { settings: { timeoutMs: 2000, credentials: {} } } } },
    },
  ]);
});

describe('SPEC 4 - a reseller\'s own list of enabled modules', () => {
  deciderTable(carrierSettingsDecider, [
    { rule: 'the list is recorded', when: { type: 'EnableCarrierModules', enabledModules: ['knm_telnyx'], at }, then: [{ data: { enabledModules: ['knm_telnyx'] } }], state: { enabledModules: ['knm_telnyx'] } },
    {
      rule: 'null goes back to the operator\'s list',
      given: [{ type: 'CarrierModulesEnabled.v1', data: { enabledModules: ['knm_telnyx'], at } }],
      when: { type: 'EnableCarrierModules', enabledModules: null, at }, then: [{ data: { enabledModules: null } }], state: { enabledModules: null },
    },
  ]);
});
