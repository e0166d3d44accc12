import { carrierPolicy } from './carrier-policy';
import { isAdmin } from './authorization';
import { FEATURES, type DecisionContext, type Feature, type NumberRecord, type NumberState } from './types';

export type FeatureMap = Partial<Record<Feature, unknown>>;

/** External features that may cost money (SPEC 1, SPEC 5): denied to local numbers by default. */
export const CHARGED_FEATURES: readonly Feature[] = ['e911', 'cnam', 'sms', 'mms', 'port'];
/** Features only admins may use. */
export const ADMIN_ONLY_FEATURES: readonly Feature[] = ['carrier_name'];

/**
 * Feature lifetime by state (SPEC 5): a listed feature is kept only in the
 * given states and removed on any other state. Unlisted features are not
 * restricted by state (releasing or deleting a number resets all features).
 */
export const FEATURE_LIFETIME: Readonly<Partial<Record<Feature, readonly NumberState[]>>> = {
  e911: ['reserved', 'in_service', 'port_in'],
  cnam: ['reserved', 'in_service', 'port_in'],
  prepend: ['in_service'],
  failover: ['in_service'],
  force_outbound: ['in_service'],
};

export function isFeature(value: unknown): value is Feature {
  return typeof value === 'string' && (FEATURES as readonly string[]).includes(value);
}

export function featureAppliesIn(feature: Feature, state: NumberState): boolean {
  const states = FEATURE_LIFETIME[feature];
  return !states || states.includes(state);
}

/** The features that survive a move to `state`. */
export function featuresForState(features: FeatureMap, state: NumberState): FeatureMap {
  const out: FeatureMap = {};
  for (const [k, v] of Object.entries(features) as [Feature, unknown][]) {
    if (featureAppliesIn(k, state)) out[k] = v;
  }
  return out;
}

export interface FeatureAvailability {
  allowed: Feature[];
  denied: Feature[];
  available: Feature[];
}

/**
 * SPEC 5: available = allowed - denied.
 * - allowed: the number's own allow list if set; else the reseller's; else the
 *   system's (`config.features.allow`, null = all features);
 * - denied: the number's own deny list if set; else the reseller's; else the
 *   system's (`config.features.deny`); plus, always (they are technical or
 *   operator restrictions a reseller's list cannot lift): charged features on
 *   local numbers unless `config.localFeatureOverride`, `failover` unless a
 *   trunk uses the number, `carrier_name` unless the requester is an admin.
 * The reseller is the closest reseller above the holder (or above the
 * requester when the number has no holder).
 */
export function featureAvailability(record: NumberRecord, ctx: DecisionContext): FeatureAvailability {
  const owner = record.assignedTo ?? (ctx.requester.isSystem ? null : ctx.requester.accountId);
  const reseller = owner ? ctx.accounts.resellerOf(owner) : undefined;
  const allowList = record.featureLists?.allow ?? reseller?.features?.allow ?? ctx.config.features.allow ?? null;
  const allowed = allowList ? FEATURES.filter((f) => allowList.includes(f)) : [...FEATURES];

  const denied = new Set<Feature>(record.featureLists?.deny ?? reseller?.features?.deny ?? ctx.config.features.deny ?? []);
  if (carrierPolicy(record.carrierModule).deniesChargedFeatures && !ctx.config.localFeatureOverride) {
    CHARGED_FEATURES.forEach((f) => denied.add(f));
  }
  if (!record.usedBy.some((u) => u.type === 'trunk')) denied.add('failover');
  if (!isAdmin(ctx)) ADMIN_ONLY_FEATURES.forEach((f) => denied.add(f));

  const deniedList = FEATURES.filter((f) => denied.has(f));
  return { allowed, denied: deniedList, available: allowed.filter((f) => !denied.has(f)) };
}

export function availableFeatures(record: NumberRecord, ctx: DecisionContext): Feature[] {
  return featureAvailability(record, ctx).available;
}
