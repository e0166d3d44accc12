import type { AccountInfo, NumberManagerConfig } from '../types';
import { checkFeatureLists } from './feature-settings';
import { INPUT_LIMITS } from './input-limits';
import { checkInteger, checkOptionalText, checkText, invalid } from './text-checks';

const ACCOUNT_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

/**
 * An account as it would be recorded (`AccountCreated.v1`): an id the API can
 * name, a name of text, flags that are booleans, and a `maxBillableNumbers`
 * that is a non-negative integer fitting the read model's integer column.
 */
export function checkNewAccount(account: AccountInfo): void {
  const a = account as unknown as Record<string, unknown>;
  if (typeof a.id !== 'string' || !ACCOUNT_ID.test(a.id)) throw invalid('id', 'must be 1-128 letters, digits, _ . -');
  checkText(a.name, 'name', INPUT_LIMITS.nameLength);
  checkOptionalText(a.parentId, 'parentId', INPUT_LIMITS.idLength);
  for (const flag of ['reseller', 'superAdmin', 'allowNumberAdditions']) {
    if (typeof a[flag] !== 'boolean') throw invalid(flag, 'must be a boolean');
  }
  if (a.maxBillableNumbers !== undefined && a.maxBillableNumbers !== null) checkInteger(a.maxBillableNumbers, 'maxBillableNumbers');
  checkFeatureLists(a.features, 'features');
}

/** An API key's label. */
export function checkKeyName(name: unknown): void {
  checkOptionalText(name, 'name', INPUT_LIMITS.nameLength);
}

/** The number-manager configuration as it would be recorded (`NumberManagerConfigured.v1`). */
export function checkNumberManagerConfig(config: NumberManagerConfig): void {
  checkInteger(config.agingPeriodDays, 'agingPeriodDays', 0, 3650);
  checkInteger(config.discoveryExpiryDays, 'discoveryExpiryDays', 0, 365);
  checkInteger(config.searchMinPrefixLength, 'searchMinPrefixLength', 1, 15);
  if (!Array.isArray(config.carrierModules)) throw invalid('carrierModules', 'must be a list');
  config.carrierModules.forEach((m, i) => checkText(m, `carrierModules.${i}`, INPUT_LIMITS.idLength));
  if (!config.features || typeof config.features !== 'object') throw invalid('features', 'must be an object with allow and deny');
  checkFeatureLists(config.features, 'features');
  if (!Array.isArray(config.features.deny)) throw invalid('features.deny', 'must be a list of features');
}
