import type { IntegrationModule, SearchQuery, UpstreamNumber } from './carrier';
import type { CarrierSettings } from './carrier-settings';

/** Fills in what every client adds to a parsed upstream number. */
export function upstreamNumber(
  module: IntegrationModule,
  settings: CarrierSettings,
  fields: Omit<UpstreamNumber, 'carrierModule' | 'costs'>,
): UpstreamNumber {
  const out: UpstreamNumber = { number: fields.number, carrierModule: module, costs: { ...settings.costs } };
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined && value !== '') (out as unknown as Record<string, unknown>)[key] = value;
  }
  return out;
}

/** Carriers search coarser than the prefix (whole NPA) and ignore quantity; trim to what was asked. */
export function matchingQuery(numbers: UpstreamNumber[], query: SearchQuery, dialCode = '1'): UpstreamNumber[] {
  const start = `+${dialCode}${query.prefix}`;
  const seen = new Set<string>();
  return numbers
    .filter((n) => n.number.startsWith(start) && !seen.has(n.number) && seen.add(n.number))
    .slice(0, Math.max(0, query.quantity));
}

export const toAmount = (value: unknown): number | undefined => {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  return Number.isFinite(n) ? n : undefined;
};
