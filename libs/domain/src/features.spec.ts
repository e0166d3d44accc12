/** SPEC 5: feature availability (allowed - denied), SetFeatures, feature lifetime by state. */
import { availableFeatures, featuresForState } from './features';
import { foldNumber } from './number/evolve';
import type { AccountInfo, Feature, NumberEvent, NumberManagerConfig, NumberState } from './types';
import { ACCOUNTS, E, N, given, makeCtx, table } from '@ledger/domain/test/fixture';

const ALL_BUT_RESTRICTED: Feature[] = ['force_outbound', 'prepend', 'ringback', 'cnam', 'e911', 'port', 'sms', 'mms'];
const trunk = E.usageSet([{ type: 'trunk', id: 't1', accountId: 'child' }]);
const withReseller = (features: AccountInfo['features']): AccountInfo[] =>
  ACCOUNTS.map((a) => (a.id === 'reseller' ? { ...a, features } : a));

describe('SPEC 5 - availableFeatures', () => {
  interface AvailRow {
    rule: string;
    given: NumberEvent[];
    as?: string;
    config?: Partial<NumberManagerConfig>;
    accounts?: AccountInfo[];
    expected: Feature[];
  }
  const rows: AvailRow[] = [
    { rule: 'default: all, minus failover (no trunk) and carrier_name (not admin)', given: given('in_service', 'child'), as: 'child', expected: ALL_BUT_RESTRICTED },
    { rule: 'carrier_name is available to admins', given: given('in_service', 'child'), as: 'admin', expected: [...ALL_BUT_RESTRICTED, 'carrier_name'] },
    { rule: 'failover is available when a trunk uses the number', given: [...given('in_service', 'child'), trunk], as: 'child', expected: ['failover', ...ALL_BUT_RESTRICTED] },
    { rule: 'local numbers: charged features denied', given: given('in_service', 'child', 'knm_local'), as: 'child', expected: ['force_outbound', 'prepend', 'ringback'] },
    { rule: 'knm_mdn numbers: charged features denied', given: given('in_service', 'child', 'knm_mdn'), as: 'child', expected: ['force_outbound', 'prepend', 'ringback'] },
    { rule: 'local numbers with the local-feature override', given: given('in_service', 'child', 'knm_local'), as: 'child', config: { localFeatureOverride: true }, expected: ALL_BUT_RESTRICTED },
    { rule: 'system allow list', given: given('in_service', 'child'), as: 'child', config: { features: { allow: ['cnam', 'e911', 'failover'], deny: [] } }, expected: ['cnam', 'e911'] },
    { rule: 'system deny list', given: given('in_service', 'child'), as: 'child', config: { features: { allow: null, deny: ['sms', 'mms'] } }, expected: ['force_outbound', 'prepend', 'ringback', 'cnam', 'e911', 'port'] },
    {
      rule: 'the reseller\'s allow list wins over the system\'s',
      given: given('in_service', 'child'), as: 'child', accounts: withReseller({ allow: ['sms', 'mms'] }),
      config: { features: { allow: ['cnam'], deny: [] } }, expected: ['sms', 'mms'],
    },
    {
      rule: 'the reseller\'s deny list wins over the system\'s',
      given: given('in_service', 'child'), as: 'child', accounts: withReseller({ deny: ['e911'] }),
      config: { features: { allow: null, deny: ['sms'] } }, expected: ['force_outbound', 'prepend', 'ringback', 'cnam', 'port', 'sms', 'mms'],
    },
    {
      rule: 'the number\'s own allow list wins over the reseller\'s',
      given: [...given('in_service', 'child'), E.featuresSet({}, { featureLists: { allow: ['prepend'] } })], as: 'child',
      accounts: withReseller({ allow: ['sms'] }), expected: ['prepend'],
    },
    {
      rule: 'the number\'s own deny list wins over the reseller\'s',
      given: [...given('in_service', 'child'), E.featuresSet({}, { featureLists: { deny: ['cnam'] } })], as: 'child',
      accounts: withReseller({ deny: ['e911'] }), expected: ['force_outbound', 'prepend', 'ringback', 'e911', 'port', 'sms', 'mms'],
    },
    {
      rule: 'a reseller\'s list cannot lift the local restriction',
      given: given('in_service', 'child', 'knm_local'), as: 'child', accounts: withReseller({ allow: ['e911', 'ringback'], deny: [] }), expected: ['ringback'],
    },
  ];
  it.each(rows.map((r) => [r.rule, r] as const))('%s', (_rule, row) => {
    const ctx = makeCtx(row.as ?? 'system', row.config, row.accounts);
    expect(availableFeatures(foldNumber(N, row.given), ctx)).toEqual(row.expected);
  });
});

describe('SPEC 5 - SetFeatures', () => {
  const inService = given('in_service', 'child');
  table([
    {
      rule: 'an available feature is set',
      given: inService, as: 'child', when: { type: 'SetFeatures', changes: { cnam: { inbound: true } } },
      then: [{ type: 'NumberFeaturesSet.v1', features: { cnam: { inbound: true } } }], record: { features: { cnam: { inbound: true } } },
    },
    {
      rule: 'null removes a feature',
      given: [...inService, E.featuresSet({ cnam: { inbound: true }, ringback: { early: 'x' } })], as: 'child',
      when: { type: 'SetFeatures', changes: { cnam: null } }, then: [{ type: 'NumberFeaturesSet.v1', features: { ringback: { early: 'x' } } }],
    },
    { rule: 'carrier_name is refused to non-admins (403)', given: inService, as: 'child', when: { type: 'SetFeatures', changes: { carrier_name: 'X' } }, error: 'unauthorized' },
    { rule: 'carrier_name is set by an admin', given: inService, as: 'admin', when: { type: 'SetFeatures', changes: { carrier_name: 'X' } }, then: [{ type: 'NumberFeaturesSet.v1', features: { carrier_name: 'X' } }] },
    { rule: 'failover is refused unless a trunk uses the number', given: inService, as: 'child', when: { type: 'SetFeatures', changes: { failover: { e164: '+14155550199' } } }, error: 'unauthorized' },
    { rule: 'failover is set when a trunk uses the number', given: [...inService, trunk], as: 'child', when: { type: 'SetFeatures', changes: { failover: { e164: '+14155550199' } } }, then: [{ type: 'NumberFeaturesSet.v1' }] },
    { rule: 'e911 is refused on a local number', given: given('in_service', 'child', 'knm_local'), as: 'child', when: { type: 'SetFeatures', changes: { e911: { postal_code: '94103' } } }, error: 'unauthorized' },
    { rule: 'a denied feature is refused', given: inService, as: 'child', config: { features: { allow: null, deny: ['sms'] } }, when: { type: 'SetFeatures', changes: { sms: true } }, error: 'unauthorized' },
    { rule: 'an unknown feature is validation_failed', given: inService, as: 'child', when: { type: 'SetFeatures', changes: { teleport: true } as never }, error: 'validation_failed' },
    { rule: 'a feature that does not apply in the state is validation_failed', given: given('reserved', 'child'), as: 'child', when: { type: 'SetFeatures', changes: { prepend: { name: 'x' } } }, error: 'validation_failed' },
    { rule: 'an unrelated account may not change features', given: inService, as: 'other', when: { type: 'SetFeatures', changes: { cnam: { inbound: true } } }, error: 'unauthorized' },
    { rule: 'no change: no events', given: [...inService, E.featuresSet({ cnam: { inbound: true } })], as: 'child', when: { type: 'SetFeatures', changes: { cnam: { inbound: true } } }, then: [] },
    {
      rule: 'a reseller sets the number\'s own lists',
      given: inService, as: 'reseller', when: { type: 'SetFeatures', changes: {}, featureLists: { deny: ['sms'] } },
      then: [{ type: 'NumberFeaturesSet.v1', featureLists: { allow: null, deny: ['sms'] } }], record: { featureLists: { allow: null, deny: ['sms'] } },
    },
    { rule: 'the holder (not a reseller) may not set the lists', given: inService, as: 'child', when: { type: 'SetFeatures', changes: {}, featureLists: { allow: ['sms'] } }, error: 'unauthorized' },
  ]);
});

describe('SPEC 5 - feature lifetime by state', () => {
  const all = { e911: 1, cnam: 1, prepend: 1, failover: 1, force_outbound: 1, ringback: 1 };
  it.each<[NumberState, string[]]>([
    ['in_service', ['e911', 'cnam', 'prepend', 'failover', 'force_outbound', 'ringback']],
    ['reserved', ['e911', 'cnam', 'ringback']],
    ['port_in', ['e911', 'cnam', 'ringback']],
    ['available', ['ringback']],
    ['aging', ['ringback']],
    ['released', ['ringback']],
    ['discovery', ['ringback']],
    ['port_out', ['ringback']],
  ])('in %s keeps %j', (state, kept) => {
    expect(Object.keys(featuresForState(all, state)).sort()).toEqual([...kept].sort());
  });

  const featured = [...given('in_service', 'child'), trunk, E.featuresSet({ e911: { a: 1 }, cnam: { b: 1 }, prepend: { c: 1 }, failover: { d: 1 }, force_outbound: true })];
  table([
    {
      rule: 'in_service -> reserved (same holder) keeps e911 and cnam, drops prepend/failover/force_outbound',
      given: featured, as: 'child', when: { type: 'ReserveNumber' },
      then: [{ type: 'NumberReserved.v1', features: { e911: { a: 1 }, cnam: { b: 1 } } }],
      record: { features: { e911: { a: 1 }, cnam: { b: 1 } } },
    },
    {
      rule: 'reserved -> in_service (same holder) keeps e911 and cnam',
      given: [...given('reserved', 'child'), E.featuresSet({ e911: { a: 1 }, cnam: { b: 1 } })], as: 'child', when: { type: 'AcquireNumber' },
      then: [{ type: 'NumberAcquired.v1', features: { e911: { a: 1 }, cnam: { b: 1 } } }],
    },
    {
      rule: 'port_in -> in_service keeps e911',
      given: [...given('port_in', 'child'), E.featuresSet({ e911: { a: 1 } })], as: 'child', when: { type: 'AcquireNumber' },
      then: [{ type: 'NumberAcquired.v1', features: { e911: { a: 1 } } }],
    },
    {
      rule: 'in_service -> aging (release) removes them all',
      given: featured, as: 'child', when: { type: 'ReleaseNumber' }, then: [{ type: 'NumberReleased.v1', state: 'aging', features: {} }],
    },
    {
      rule: 'a move to another holder drops the features (an emergency address must not follow the number)',
      given: featured, as: 'reseller', when: { type: 'AcquireNumber', accountId: 'sibling' },
      then: [{ type: 'NumberAcquired.v1', features: {} }], record: { features: {}, usedBy: [] },
    },
  ]);
});
