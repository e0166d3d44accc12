import { parseCarrierModule } from '../carrier-policy';
import type { NumberManagerConfig } from '../types';
import { checkNumberManagerConfig } from '../validation/account-input';

/** Operator configuration with the defaults of SPEC.md (sections 3, 4, 5, 9). */
export function defaultConfig(): NumberManagerConfig {
  return {
    carrierModules: ['knm_local', 'knm_inventory', 'knm_managed', 'knm_inum', 'knm_mdn'],
    releasedState: 'available',
    shouldAge: true,
    agingPeriodDays: 90,
    shouldPermanentlyDelete: false,
    discoveryExpiryDays: 1,
    localFeatureOverride: false,
    features: { allow: null, deny: [] },
    searchMinPrefixLength: 3,
    billInventoryNumbers: false,
  };
}

/**
 * The configuration after a change (`PUT /v1/config/number-manager`, `ledger config set`):
 * the given settings replace the current ones, and within `features` a given
 * `allow` or `deny` replaces its list, `allow: null` restoring the default (every
 * feature, SPEC 5); settings given as undefined are not changed. The result
 * is checked as it would be recorded.
 */
export function changedConfig(current: NumberManagerConfig, given: Partial<NumberManagerConfig>): NumberManagerConfig {
  const changes = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)) as Partial<NumberManagerConfig>;
  const features = (changes.features ?? {}) as Partial<NumberManagerConfig['features']>;
  const next: NumberManagerConfig = {
    ...current,
    ...changes,
    carrierModules: changes.carrierModules ? changes.carrierModules.map(parseCarrierModule) : current.carrierModules,
    features: {
      allow: 'allow' in features && features.allow !== undefined ? features.allow : current.features.allow,
      deny: 'deny' in features && features.deny !== undefined && features.deny !== null ? features.deny : current.features.deny,
    },
  };
  checkNumberManagerConfig(next);
  return next;
}
