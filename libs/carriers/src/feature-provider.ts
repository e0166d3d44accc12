import type { IntegrationModule } from './carrier';

/** The e911 feature value as the API takes it (camelCase or KAZOO's snake_case). */
export interface E911Address {
  callerName: string;
  firstName?: string;
  lastName?: string;
  streetAddress: string;
  extendedAddress?: string;
  locality: string;
  region: string;
  postalCode: string;
  /** ISO alpha-2, `US` when absent. */
  country?: string;
}

/** `inbound`: CNAM lookup on incoming calls; `outbound`: the name listed for our calls. */
export interface CnamSettings {
  inbound: boolean;
  outbound?: string | null;
}

export interface E911Applied {
  addressId: string;
  sandbox: boolean;
}

/** Number features a carrier provides (SPEC 5: e911 and cnam), applied upstream. */
export interface FeatureProvider {
  readonly module: IntegrationModule;
  applyE911(e164: string, address: E911Address): Promise<E911Applied>;
  removeE911(e164: string): Promise<void>;
  applyCnam(e164: string, cnam: CnamSettings): Promise<void>;
  removeCnam(e164: string): Promise<void>;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

/** Undefined when a required part is missing. */
export function parseE911Address(value: unknown): E911Address | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const v = value as Record<string, unknown>;
  const pick = (camel: string, snake: string) => str(v[camel]) ?? str(v[snake]);
  const address: E911Address = {
    callerName: pick('callerName', 'caller_name') ?? '',
    firstName: pick('firstName', 'first_name'),
    lastName: pick('lastName', 'last_name'),
    streetAddress: pick('streetAddress', 'street_address') ?? '',
    extendedAddress: pick('extendedAddress', 'extended_address'),
    locality: pick('locality', 'locality') ?? '',
    region: pick('region', 'region') ?? '',
    postalCode: pick('postalCode', 'postal_code') ?? '',
    country: pick('country', 'country'),
  };
  const required = [address.callerName, address.streetAddress, address.locality, address.region, address.postalCode];
  return required.every(Boolean) ? address : undefined;
}

/** Accepts `{inbound, outbound}` or KAZOO's `{inbound_lookup, display_name}`. */
export function parseCnamSettings(value: unknown): CnamSettings | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const v = value as Record<string, unknown>;
  const inbound = v.inbound ?? v.inbound_lookup;
  return { inbound: inbound === true, outbound: str(v.outbound) ?? str(v.display_name) ?? null };
}
