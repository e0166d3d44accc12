import type { Feature, NumberState } from '@ledger/domain/types';
import { CarrierFault } from './carrier-fault';
import { parseCnamSettings, parseE911Address, type FeatureProvider } from './feature-provider';

/** SPEC 5: e911 and cnam live only in these states; elsewhere they are removed. */
export const UPSTREAM_FEATURE_STATES: readonly NumberState[] = ['reserved', 'in_service', 'port_in'];
export const UPSTREAM_FEATURES = ['e911', 'cnam'] as const;
export type UpstreamFeature = (typeof UPSTREAM_FEATURES)[number];

export interface FeatureSnapshot {
  state: NumberState;
  features: Partial<Record<Feature, unknown>>;
}

export type FeatureAction =
  | { feature: UpstreamFeature; action: 'apply'; value: unknown }
  | { feature: UpstreamFeature; action: 'remove' };

const activeValue = (snapshot: FeatureSnapshot | null, feature: UpstreamFeature): unknown => {
  if (!snapshot || !UPSTREAM_FEATURE_STATES.includes(snapshot.state)) return undefined;
  const value = snapshot.features[feature];
  return value === null ? undefined : value;
};

/**
 * What must change upstream when a number goes from `before` to `after`:
 * apply a feature that became active or changed, remove one that is no
 * longer active (unset, or the number left the states where it applies).
 */
export function planFeatureSync(before: FeatureSnapshot | null, after: FeatureSnapshot): FeatureAction[] {
  const actions: FeatureAction[] = [];
  for (const feature of UPSTREAM_FEATURES) {
    const was = activeValue(before, feature);
    const now = activeValue(after, feature);
    if (now !== undefined && JSON.stringify(now) !== JSON.stringify(was)) actions.push({ feature, action: 'apply', value: now });
    else if (now === undefined && was !== undefined) actions.push({ feature, action: 'remove' });
  }
  return actions;
}

/** Runs the plan in order; the first CarrierFault stops it (nothing should be recorded then). */
export async function applyFeaturePlan(provider: FeatureProvider, e164: string, actions: FeatureAction[]): Promise<void> {
  const invalid = (message: string) => new CarrierFault(provider.module, `${provider.module} ${message}`, { retriable: false, kind: 'invalid_request' });
  for (const step of actions) {
    if (step.action === 'remove') {
      await (step.feature === 'e911' ? provider.removeE911(e164) : provider.removeCnam(e164));
    } else if (step.feature === 'e911') {
      const address = parseE911Address(step.value);
      if (!address) throw invalid('e911: incomplete emergency address');
      await provider.applyE911(e164, address);
    } else {
      const cnam = parseCnamSettings(step.value);
      if (!cnam) throw invalid('cnam: invalid cnam settings');
      await provider.applyCnam(e164, cnam);
    }
  }
}
