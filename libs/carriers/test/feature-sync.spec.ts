import type { FeatureProvider } from '../src/feature-provider';
import { applyFeaturePlan, planFeatureSync, type FeatureSnapshot } from '../src/feature-sync';

const E911 = { street_address: '301 MARINA BLVD', locality: 'SAN FRANCISCO', region: 'CA', postal_code: '94123', caller_name: 'ACME' };
const CNAM = { inbound_lookup: true, display_name: 'ACME' };
const snap = (state: FeatureSnapshot['state'], features: FeatureSnapshot['features'] = {}): FeatureSnapshot => ({ state, features });

describe('planFeatureSync', () => {
  it('applies e911 and cnam set on a number in an allowed state', () => {
    expect(planFeatureSync(snap('in_service'), snap('in_service', { e911: E911, cnam: CNAM }))).toEqual([
      { feature: 'e911', action: 'apply', value: E911 }, { feature: 'cnam', action: 'apply', value: CNAM },
    ]);
  });

  it('does nothing while the feature is unchanged, re-applies when it changes', () => {
    expect(planFeatureSync(snap('reserved', { e911: E911 }), snap('in_service', { e911: { ...E911 } }))).toEqual([]);
    const moved = { ...E911, postal_code: '94124' };
    expect(planFeatureSync(snap('in_service', { e911: E911 }), snap('in_service', { e911: moved }))).toEqual([
      { feature: 'e911', action: 'apply', value: moved },
    ]);
  });

  it('removes features when the number leaves the allowed states or the feature is unset', () => {
    expect(planFeatureSync(snap('in_service', { e911: E911, cnam: CNAM }), snap('aging', { e911: E911, cnam: CNAM }))).toEqual([
      { feature: 'e911', action: 'remove' }, { feature: 'cnam', action: 'remove' },
    ]);
    expect(planFeatureSync(snap('port_in', { cnam: CNAM }), snap('port_in', { cnam: null }))).toEqual([{ feature: 'cnam', action: 'remove' }]);
  });

  it('does not apply features on a number in a state where they do not live', () => {
    expect(planFeatureSync(null, snap('available', { e911: E911 }))).toEqual([]);
  });
});

describe('applyFeaturePlan', () => {
  const recordingProvider = () => {
    const calls: string[] = [];
    const provider: FeatureProvider = {
      module: 'knm_telnyx',
      applyE911: async (n, a) => { calls.push(`applyE911 ${n} ${a.postalCode} ${a.callerName}`); return { addressId: 'a', sandbox: false }; },
      removeE911: async (n) => { calls.push(`removeE911 ${n}`); },
      applyCnam: async (n, c) => { calls.push(`applyCnam ${n} ${c.inbound} ${c.outbound}`); },
      removeCnam: async (n) => { calls.push(`removeCnam ${n}`); },
    };
    return { provider, calls };
  };

  it('runs each action against the provider, parsing KAZOO-style values', async () => {
    const { provider, calls } = recordingProvider();
    await applyFeaturePlan(provider, '+13125550101', [
      { feature: 'e911', action: 'apply', value: E911 }, { feature: 'cnam', action: 'apply', value: CNAM }, { feature: 'e911', action: 'remove' },
    ]);
    expect(calls).toEqual(['applyE911 +13125550101 94123 ACME', 'applyCnam +13125550101 true ACME', 'removeE911 +13125550101']);
  });

  it('refuses an incomplete emergency address before calling the provider', async () => {
    const { provider, calls } = recordingProvider();
    await expect(applyFeaturePlan(provider, '+13125550101', [{ feature: 'e911', action: 'apply', value: { locality: 'X' } }]))
      .rejects.toMatchObject({ code: 'carrier_fault', kind: 'invalid_request' });
    expect(calls).toEqual([]);
  });
});
