import type { NumberManagerConfig } from './types';

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
