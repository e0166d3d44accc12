import type { CarrierSettingsInput, IntegrationModule } from '@ledger/carriers';
import type { SealedCredentials } from './credential-seal';

/**
 * Carrier configuration events, one stream per scope: `config-carriers-system`
 * for the operator, `config-carriers-<resellerId>` for a reseller. They carry
 * credentials, so they are read only by the carrier settings store and never
 * returned as they are (see `redactSettings`).
 */
export const CARRIER_EVENT_TYPES = {
  /** Legacy: credentials in clear. Rewritten to v2 by `sealLegacyCredentials` (docs/secrets.md). */
  CarrierSettingsConfigured: 'CarrierSettingsConfigured.v1',
  /** Credentials sealed under the scope's data key. */
  CarrierSettingsConfiguredSealed: 'CarrierSettingsConfigured.v2',
  CarrierModulesEnabled: 'CarrierModulesEnabled.v1',
  /** The scope's data keys were destroyed: every sealed credential of the scope before it is unreadable. */
  CarrierCredentialsShredded: 'CarrierCredentialsShredded.v1',
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

/** v2: the settings without credentials, and the credentials sealed (null: none given). */
export interface CarrierSettingsConfiguredSealed {
  module: IntegrationModule;
  settings: Omit<CarrierSettingsInput, 'credentials'>;
  sealedCredentials: SealedCredentials | null;
  at: string;
}

export interface CarrierCredentialsShredded {
  /** How many data keys were destroyed. */
  keys: number;
  at: string;
}

/** A reseller's own list of enabled modules; null goes back to the operator's list. */
export interface CarrierModulesEnabled {
  enabledModules: string[] | null;
  at: string;
}
