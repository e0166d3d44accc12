import type { DomainEvent } from '../decider';
import { envelopeCodec } from '../events/stored-event';

/**
 * Carrier configuration events, one stream per scope: `config-carriers-system`
 * for the operator, `config-carriers-<resellerId>` for a reseller. They carry
 * credentials (sealed since v2), so they are read only by the carrier settings
 * store and never returned as they are. The settings document itself is the
 * carriers library's (`CarrierSettingsInput`); here it is a JSON object.
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

/** One module's settings document as recorded (`credentials` only in the legacy v1 event). */
export type CarrierSettingsDocument = Record<string, unknown>;

/** Credentials sealed by authenticated encryption under a scope's data key (SPEC 12). */
export interface SealedCredentials {
  keyId: string;
  iv: string;
  data: string;
  tag: string;
}

/** The whole settings document of one module in one scope (a PUT replaces it). */
export interface CarrierSettingsConfigured<Module extends string = string, Settings extends object = CarrierSettingsDocument> {
  module: Module;
  settings: Settings;
  at: string;
}

/** v2: the settings without credentials, and the credentials sealed (null: none given). */
export interface CarrierSettingsConfiguredSealed<Module extends string = string, Settings extends object = CarrierSettingsDocument> {
  module: Module;
  settings: Settings;
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

export type CarrierSettingsEvent =
  | DomainEvent<typeof CARRIER_EVENT_TYPES.CarrierSettingsConfigured, CarrierSettingsConfigured>
  | DomainEvent<typeof CARRIER_EVENT_TYPES.CarrierSettingsConfiguredSealed, CarrierSettingsConfiguredSealed>
  | DomainEvent<typeof CARRIER_EVENT_TYPES.CarrierModulesEnabled, CarrierModulesEnabled>
  | DomainEvent<typeof CARRIER_EVENT_TYPES.CarrierCredentialsShredded, CarrierCredentialsShredded>;

export const carrierSettingsEvents = envelopeCodec<CarrierSettingsEvent>({
  [CARRIER_EVENT_TYPES.CarrierSettingsConfigured]: { module: 'string', settings: 'object', at: 'string?' },
  [CARRIER_EVENT_TYPES.CarrierSettingsConfiguredSealed]: { module: 'string', settings: 'object', sealedCredentials: 'object|null', at: 'string?' },
  [CARRIER_EVENT_TYPES.CarrierModulesEnabled]: { enabledModules: 'array|null', at: 'string?' },
  [CARRIER_EVENT_TYPES.CarrierCredentialsShredded]: { keys: 'number', at: 'string?' },
});
