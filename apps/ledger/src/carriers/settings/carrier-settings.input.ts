import {
  CarrierConfigError, integrationModule, type CarrierSettingsInput, type IntegrationModule,
} from '@ledger/carriers';
import { LedgerError } from '@ledger/domain/errors';
import { textFault } from '@ledger/domain/validation';
import { CarrierSettingsDto } from './carrier-settings.dto';

const NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
const MAX_VALUE = 2000;

/** The module named in a path; `knm_bandwidth` and non-integration modules are 400. */
export function moduleFromPath(raw: string): IntegrationModule {
  try {
    return integrationModule(raw);
  } catch (err) {
    if (err instanceof CarrierConfigError) throw new LedgerError('validation_failed', err.message, { field: 'module' });
    throw err;
  }
}

/** The document to store: the body, with the stored credentials when the body has none. */
export function settingsInput(dto: CarrierSettingsDto, stored: CarrierSettingsInput | undefined): CarrierSettingsInput {
  if (dto.baseUrl !== undefined) checkBaseUrl(dto.baseUrl);
  const { credentials, options, costs, orderPoll, ...flat } = dto;
  const input: CarrierSettingsInput = defined({ ...flat });
  const kept = credentials === undefined ? stored?.credentials : stringMap('credentials', credentials);
  if (kept) input.credentials = kept;
  if (options) input.options = stringMap('options', options);
  if (costs) input.costs = defined({ ...costs });
  if (orderPoll) input.orderPoll = defined({ ...orderPoll });
  return input;
}

const defined = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;

/** A URL is returned by the API, so it must not carry secrets (they go in `credentials`). */
function checkBaseUrl(value: string): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new LedgerError('validation_failed', 'baseUrl must be an absolute http(s) URL', { field: 'baseUrl' });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new LedgerError('validation_failed', 'baseUrl must be an http or https URL', { field: 'baseUrl' });
  }
  if (url.username || url.password) {
    throw new LedgerError('validation_failed', 'baseUrl must not carry a user or password; put them in credentials', { field: 'baseUrl' });
  }
}

function stringMap(field: string, value: Record<string, unknown> | null): Record<string, string> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new LedgerError('validation_failed', `${field} must be an object of strings`, { field });
  }
  const out: Record<string, string> = {};
  for (const [name, v] of Object.entries(value)) {
    if (!NAME.test(name)) throw new LedgerError('validation_failed', `${field} names must be identifiers`, { field });
    if (typeof v !== 'string' || textFault(v, MAX_VALUE)) {
      throw new LedgerError('validation_failed', `${field}.${name} must be a string of at most ${MAX_VALUE} characters`, { field: `${field}.${name}` });
    }
    out[name] = v;
  }
  return out;
}

/** A reseller's module list: integration modules only; `knm_bandwidth` is refused with its replacement. */
export function enabledModulesInput(list: string[] | null | undefined): IntegrationModule[] | null {
  if (list === undefined || list === null) return null;
  return [...new Set(list.map(moduleFromPath))];
}
