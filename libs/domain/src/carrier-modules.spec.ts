/** SPEC 4: carrier module policies as data, their release behaviour, parsing. */
import { carrierPolicy, isBillable, numberFlags, parseCarrierModule } from './carrier-policy';
import { defaultConfig } from './config';
import { LedgerError } from './errors';
import { CARRIER_MODULES, type CarrierModule, type NumberState } from './types';
import { given, table, type Row } from '@ledger/domain/test/fixture';

describe('SPEC 4 - policy table', () => {
  it.each<[CarrierModule, boolean, boolean, string, boolean]>([
    // module, local, billable, onRelease, integration
    ['knm_local', true, false, 'delete', false],
    ['knm_inventory', false, false, 'lifecycle', false],
    ['knm_managed', true, true, 'lifecycle', false],
    ['knm_mdn', true, false, 'delete', false],
    ['knm_reserved', true, false, 'none', false],
    ['knm_reserved_reseller', true, false, 'none', false],
    ['knm_inum', true, false, 'released', false],
    ['knm_telnyx', false, true, 'lifecycle', true],
    ['knm_bandwidth2', false, true, 'lifecycle', true],
    ['knm_vitelity', false, true, 'lifecycle', true],
    ['knm_voip_innovations', false, true, 'lifecycle', true],
    ['knm_other', false, true, 'lifecycle', true],
  ])('%s: local=%s billable=%s onRelease=%s integration=%s', (module, local, billable, onRelease, integration) => {
    expect(carrierPolicy(module)).toMatchObject({ module, local, billable, onRelease, integration });
  });

  it('covers every module', () => {
    for (const m of CARRIER_MODULES) expect(carrierPolicy(m).module).toBe(m);
  });

  it.each<[boolean, boolean]>([[false, false], [true, true]])('knm_inventory billable per config (billInventoryNumbers=%s)', (flag, expected) => {
    expect(isBillable('knm_inventory', { billInventoryNumbers: flag })).toBe(expected);
  });

  it.each<[CarrierModule, boolean, object]>([
    ['knm_local', false, { local: true, billable: false, callAuthorization: false, interAccountRouting: false, chargedFeaturesDenied: true }],
    ['knm_mdn', false, { local: true, billable: false, callAuthorization: false, interAccountRouting: false, chargedFeaturesDenied: true }],
    ['knm_local', true, { chargedFeaturesDenied: false }],
    ['knm_telnyx', false, { local: false, billable: true, callAuthorization: true, interAccountRouting: true, chargedFeaturesDenied: false }],
  ])('read-only flags of %s (localFeatureOverride=%s)', (module, override, flags) => {
    expect(numberFlags(module, { ...defaultConfig(), localFeatureOverride: override })).toMatchObject(flags);
  });

  it('knm_mdn may only be in_service', () => {
    expect(carrierPolicy('knm_mdn').allowedStates).toEqual(['in_service', 'deleted']);
  });
});

describe('SPEC 4 - parseCarrierModule', () => {
  it.each([
    ['knm_local', 'knm_local'], ['local', 'knm_local'], [' KNM_Telnyx ', 'knm_telnyx'], ['bandwidth2', 'knm_bandwidth2'],
  ])('%j -> %s', (input, expected) => expect(parseCarrierModule(input)).toBe(expected));

  it.each(['knm_bandwidth', 'bandwidth'])('%s is refused with a message pointing to knm_bandwidth2', (input) => {
    expect(() => parseCarrierModule(input)).toThrow(LedgerError);
    try {
      parseCarrierModule(input);
    } catch (e) {
      expect((e as LedgerError).code).toBe('validation_failed');
      expect((e as LedgerError).detail).toContain('knm_bandwidth2');
    }
  });

  it.each(['knm_nope', '', 42, null])('%j is validation_failed', (input) => {
    expect(() => parseCarrierModule(input)).toThrow(expect.objectContaining({ code: 'validation_failed' }));
  });
});

describe('SPEC 4 - release behaviour of each module (held by child, released by child)', () => {
  const row = (module: CarrierModule, state: NumberState, disconnectFromCarrier: boolean): Row => ({
    rule: `${module}: ${state}${disconnectFromCarrier ? ', disconnected upstream' : ''}`,
    given: given('in_service', 'child', module), as: 'child', when: { type: 'ReleaseNumber' },
    then: [{ type: 'NumberReleased.v1', state, disconnectFromCarrier }],
  });
  table([
    row('knm_local', 'deleted', false),
    row('knm_inventory', 'aging', false),
    row('knm_managed', 'aging', false),
    row('knm_mdn', 'deleted', false),
    row('knm_inum', 'released', false),
    row('knm_telnyx', 'aging', true),
    row('knm_bandwidth2', 'aging', true),
    row('knm_vitelity', 'aging', true),
    row('knm_voip_innovations', 'aging', true),
    row('knm_other', 'aging', true),
    {
      rule: 'knm_inventory: aging, then available',
      given: [...given('in_service', 'child', 'knm_inventory')], as: 'child', when: { type: 'ReleaseNumber' },
      then: [{ type: 'NumberReleased.v1', state: 'aging' }], record: { state: 'aging', assignedTo: null },
    },
    {
      rule: 'integration module: shouldPermanentlyDelete still disconnects upstream',
      given: given('in_service', 'child', 'knm_vitelity'), as: 'child', config: { shouldPermanentlyDelete: true },
      when: { type: 'ReleaseNumber' }, then: [{ type: 'NumberReleased.v1', state: 'deleted', disconnectFromCarrier: true }],
    },
  ]);
});
