import { getCountryCallingCode, type CountryCode } from 'libphonenumber-js';
import type { SearchQuery, UpstreamNumber } from '../carrier';
import type { CarrierSettings } from '../carrier-settings';
import { asObject, asString } from '../json-body';
import { NANP_COUNTRIES } from '../nanp';
import { toAmount, upstreamNumber } from '../upstream-number';

type Query = Record<string, string | number | undefined>;

/** `GET /v2/available_phone_numbers` filters; Telnyx wants the NDC apart from the rest of the prefix. */
export function searchFilters(query: SearchQuery, country: string): Query {
  const filters: Query = { 'filter[country_code]': country, 'filter[limit]': query.quantity };
  if (query.tollfree) filters['filter[phone_number_type]'] = 'toll_free';
  if (NANP_COUNTRIES.includes(country) && query.prefix.length >= 3) {
    filters['filter[national_destination_code]'] = query.prefix.slice(0, 3);
    if (query.prefix.length > 3) filters['filter[phone_number][starts_with]'] = query.prefix.slice(3);
  } else if (query.prefix) {
    filters['filter[phone_number][starts_with]'] = query.prefix;
  }
  return filters;
}

export function dialCodeOf(country: string): string | undefined {
  try {
    return getCountryCallingCode(country as CountryCode);
  } catch {
    return undefined;
  }
}

const regionNamed = (regions: unknown, type: string): string | undefined =>
  asString(asObject((Array.isArray(regions) ? regions : []).find((r) => asObject(r)?.region_type === type))?.region_name);

function fromV2(item: Record<string, unknown>, settings: CarrierSettings): UpstreamNumber | undefined {
  const number = asString(item.phone_number);
  if (!number || item.best_effort === true) return undefined;
  const cost = asObject(item.cost_information);
  const features = Array.isArray(item.features) ? item.features.map((f) => asString(asObject(f)?.name)).filter((f): f is string => !!f) : undefined;
  return upstreamNumber('knm_telnyx', settings, {
    number,
    rate: cost && { upfront: toAmount(cost.upfront_cost), monthly: toAmount(cost.monthly_cost), currency: asString(cost.currency) },
    region: regionNamed(item.region_information, 'state'),
    rateCenter: regionNamed(item.region_information, 'rate_center'),
    locality: regionNamed(item.region_information, 'location'),
    features,
  });
}

/** The recorded pre-v2 `number_searches` answers: `{result: [{number_e164, upfront_cost, ...}]}`. */
function fromLegacy(item: Record<string, unknown>, settings: CarrierSettings): UpstreamNumber | undefined {
  const number = asString(item.number_e164);
  if (!number || item.best_effort === true) return undefined;
  return upstreamNumber('knm_telnyx', settings, {
    number,
    rate: { upfront: toAmount(item.upfront_cost), monthly: toAmount(item.monthly_recurring_cost), currency: asString(item.currency) },
  });
}

/** Undefined when the body is neither shape. */
export function parseSearch(json: Record<string, unknown>, settings: CarrierSettings): UpstreamNumber[] | undefined {
  const parse = Array.isArray(json.data) ? fromV2 : Array.isArray(json.result) ? fromLegacy : undefined;
  const items = (Array.isArray(json.data) ? json.data : json.result) as unknown[];
  if (!parse) return undefined;
  return items.map(asObject).map((item) => item && parse(item, settings)).filter((n): n is UpstreamNumber => !!n);
}
