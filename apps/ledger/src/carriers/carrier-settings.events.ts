import type { CarrierSettingsInput, IntegrationModule } from '../../../../libs/carriers/src';

/**
 * Carrier configuration events, one stream per scope: `config-carriers-system`
 * for the operator, `config-carriers-<resellerId>` for a reseller. They carry
 * credentials, so they are read only by the carrier settings store and never
 * returned as they are (see `redactSettings`).
 */
export const CARRIER_EVENT_TYPES = {
  CarrierSettingsConfigured: 'CarrierSettingsConfigured.v1',
  CarrierModulesEnabled: 'CarrierModulesEnabled.v1',
} as const;

export const SYSTEM_SCOPE = 'system';
export const CARRIER_STREAM_PREFIX = 'config-carriers-';
export const carrierStreamId = (scope: string): string => `${CARRIER_STREAM_PREFIX}${scope}`;

/** The whole settings document of one module in one scope (a PUT replaces it). */
export interface CarrierSettingsConfigured {
  module: IntegrationModule;
  settings: CarrierSettingsInput;
  at: string;
}

/** A reseller's own list of enabled modules; null goes back to the operator's list. */
export interface CarrierModulesEnabled {
  enabledModules: string[] | null;
  at: string;
}
