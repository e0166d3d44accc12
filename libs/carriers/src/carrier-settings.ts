/**
 * Per-module carrier settings (SPEC 4): the operator's equivalent of KAZOO's
 * `carrier_modules` list plus each integration module's own document, kept
 * per system and per reseller.
 */
import { CARRIER_MODULES } from '@ledger/domain/types';
import { INTEGRATION_MODULES, type IntegrationModule } from './carrier';

/** Secrets; never logged, never returned by the API (see `redactSettings`). */
export interface CarrierCredentials {
  token?: string;
  user?: string;
  password?: string;
  accountId?: string;
  [name: string]: string | undefined;
}

export interface CarrierSettings {
  baseUrl: string;
  credentials: CarrierCredentials;
  /** false: searching works, buying and disconnecting are refused. */
  enableProvisioning: boolean;
  /** true: orders and disconnects answer a synthetic success, no real purchase. */
  sandboxProvisioning: boolean;
  costs: { activation: number; monthly: number };
  minSearchPrefix: number;
  /** Per upstream call. */
  timeoutMs: number;
  /**
   * Asynchronous orders (Telnyx, Bandwidth, knm_other; Bandwidth disconnects): how often and how
   * many times to ask before the order is recorded as pending (settled later by the sweeper).
   */
  orderPoll: { attempts: number; intervalMs: number };
  debug: boolean;
  /** Non-secret, carrier specific: siteId, peerId, connectionId, endpointId... */
  options: Record<string, string>;
}

/** What an operator stores: any subset, completed by the defaults. */
export type CarrierSettingsInput = Partial<Omit<CarrierSettings, 'costs' | 'orderPoll'>> & {
  costs?: Partial<CarrierSettings['costs']>;
  orderPoll?: Partial<CarrierSettings['orderPoll']>;
};

export interface CarrierConfig {
  /** Which integration modules are enabled; a reseller's list replaces the system's. */
  enabledModules?: string[];
  modules?: Partial<Record<IntegrationModule, CarrierSettingsInput>>;
}

export interface ResolvedCarrierConfig {
  enabledModules: IntegrationModule[];
  settings: Partial<Record<IntegrationModule, CarrierSettings>>;
  /** Listed modules that cannot be enabled (deprecated `knm_bandwidth`, unknown names). */
  rejected: { module: string; reason: string }[];
}

export const DEFAULT_BASE_URLS: Record<IntegrationModule, string> = {
  knm_telnyx: 'https://api.telnyx.com',
  knm_bandwidth2: 'https://dashboard.bandwidth.com/api',
  knm_vitelity: 'https://api.vitelity.net/api.php',
  knm_voip_innovations: 'https://backoffice.voipinnovations.com/api2.pl',
  knm_other: '',
};

export const DEFAULT_CARRIER_SETTINGS: Omit<CarrierSettings, 'baseUrl'> = {
  credentials: {},
  enableProvisioning: true,
  sandboxProvisioning: false,
  costs: { activation: 0, monthly: 0 },
  minSearchPrefix: 3,
  timeoutMs: 5000,
  // An acquire waits at most about 5 s for the carrier's confirmation, then records a pending order.
  orderPoll: { attempts: 5, intervalMs: 1000 },
  debug: false,
  options: {},
};

export function completeSettings(module: IntegrationModule, input: CarrierSettingsInput = {}): CarrierSettings {
  const d = DEFAULT_CARRIER_SETTINGS;
  return {
    ...d,
    ...input,
    baseUrl: input.baseUrl ?? DEFAULT_BASE_URLS[module],
    credentials: { ...(input.credentials ?? {}) },
    costs: { ...d.costs, ...(input.costs ?? {}) },
    orderPoll: { ...d.orderPoll, ...(input.orderPoll ?? {}) },
    options: { ...(input.options ?? {}) },
  };
}

/**
 * Whether a reseller's settings name a carrier account of its own (its own credentials, or
 * another endpoint): then nothing of the operator's account is inherited, and what that
 * account finds or buys is the reseller's.
 */
export function isOwnCarrierAccount(module: IntegrationModule, system: CarrierSettingsInput = {}, reseller?: CarrierSettingsInput): boolean {
  if (!reseller) return false;
  const endpoint = (input: CarrierSettingsInput) => sameUrl(input.baseUrl ?? DEFAULT_BASE_URLS[module]);
  return reseller.credentials !== undefined || (reseller.baseUrl !== undefined && endpoint(reseller) !== endpoint(system));
}

/**
 * Reseller overrides system, module by module and field by field, except what belongs to
 * a carrier account: `credentials` and `options` (site, peer, connection ids). A reseller
 * that brings credentials, or points the module at an endpoint of its own (a `baseUrl`
 * other than the system's), uses an account of its own: none of the system's credentials
 * or options follow it (they would be sent to the reseller's server, or paired with the
 * reseller's user). Otherwise it uses the system's account, adding options of its own.
 */
export function mergeSettingsInput(module: IntegrationModule, system: CarrierSettingsInput = {}, reseller?: CarrierSettingsInput): CarrierSettingsInput {
  if (!reseller) return system;
  const ownAccount = isOwnCarrierAccount(module, system, reseller);
  return {
    ...system,
    ...reseller,
    credentials: ownAccount ? reseller.credentials ?? {} : system.credentials,
    costs: { ...system.costs, ...reseller.costs },
    orderPoll: { ...system.orderPoll, ...reseller.orderPoll },
    options: ownAccount ? { ...reseller.options } : { ...system.options, ...reseller.options },
  };
}

/** A URL as compared: parsed (case of the host, default port, a trailing slash), or as written when it does not parse. */
function sameUrl(url: string): string {
  try {
    return new URL(url).href.replace(/\/+$/, '');
  } catch {
    return url;
  }
}

export function resolveCarrierSettings(system: CarrierConfig, reseller?: CarrierConfig): ResolvedCarrierConfig {
  const listed = reseller?.enabledModules ?? system.enabledModules ?? [];
  const enabledModules = INTEGRATION_MODULES.filter((m) => listed.includes(m));
  const settings: ResolvedCarrierConfig['settings'] = {};
  for (const module of enabledModules) {
    settings[module] = completeSettings(module, mergeSettingsInput(module, system.modules?.[module], reseller?.modules?.[module]));
  }
  return { enabledModules, settings, rejected: rejectedModules(listed) };
}

export const KNM_BANDWIDTH_DEPRECATED = 'knm_bandwidth is deprecated and no longer supported: use knm_bandwidth2';

function rejectedModules(listed: string[]): ResolvedCarrierConfig['rejected'] {
  const known = CARRIER_MODULES as readonly string[];
  return listed
    .filter((m) => !known.includes(m))
    .map((module) => ({
      module,
      reason: module === 'knm_bandwidth' ? KNM_BANDWIDTH_DEPRECATED : `unknown carrier module ${module}`,
    }));
}

export type RedactedSettings = Omit<CarrierSettings, 'credentials'> & { credentials: Record<string, '***'> };

/** For API responses: which credentials are set, never their values. */
export function redactSettings(settings: CarrierSettings): RedactedSettings {
  const credentials: Record<string, '***'> = {};
  for (const [name, value] of Object.entries(settings.credentials)) {
    if (value) credentials[name] = '***';
  }
  return { ...settings, credentials, costs: { ...settings.costs }, orderPoll: { ...settings.orderPoll }, options: { ...settings.options } };
}

export const meetsMinimumPrefix = (prefix: string, settings: Pick<CarrierSettings, 'minSearchPrefix'>): boolean =>
  /^\d*$/.test(prefix) && prefix.length >= settings.minSearchPrefix;
