import { isFeature } from '../features';
import { FEATURES, type FeatureLists } from '../types';
import { FEATURE_FIELD_LENGTHS, INPUT_LIMITS } from './input-limits';
import { checkJson } from './json-checks';
import { invalid } from './text-checks';

const FREE_KEY = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

/**
 * One feature's settings (SPEC 5). `null` removes the feature. The features with
 * a known shape (e911, cnam, prepend, ringback, failover, force_outbound) take an
 * object of their own fields only, each a boolean, a finite number or a bounded
 * string (CSV cells arrive as strings, hence `"true"` is accepted for a flag);
 * force_outbound may also be a plain boolean. The others (port, sms, mms,
 * carrier_name) take a scalar or a flat object of at most 32 settings.
 */
export function checkFeatureSettings(feature: string, value: unknown): void {
  const field = `features.${feature}`;
  if (!isFeature(feature)) throw invalid(field, `is not a feature (${FEATURES.join(', ')})`);
  if (value === null || value === undefined) return;
  const lengths = FEATURE_FIELD_LENGTHS[feature];
  if (typeof value === 'boolean' && (feature === 'force_outbound' || !lengths)) return;
  if (!lengths && (typeof value === 'string' || typeof value === 'number')) return checkSetting(field, value, 256);
  if (typeof value !== 'object' || Array.isArray(value)) throw invalid(field, 'must be an object of settings or null');
  checkJson(value, field, { maxDepth: 2 });
  if (JSON.stringify(value).length > INPUT_LIMITS.featureSettingsBytes) {
    throw invalid(field, `settings are larger than ${INPUT_LIMITS.featureSettingsBytes} bytes`);
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (!lengths && entries.length > INPUT_LIMITS.featureSettingKeys) throw invalid(field, `has more than ${INPUT_LIMITS.featureSettingKeys} settings`);
  for (const [key, setting] of entries) checkSetting(`${field}.${key}`, setting, lengths ? lengths[key] : FREE_KEY.test(key) ? 256 : undefined);
}

function checkSetting(field: string, value: unknown, maxLength: number | undefined): void {
  if (maxLength === undefined) throw invalid(field, 'is not a setting of this feature');
  if (typeof value === 'boolean' || value === null) return;
  if (typeof value === 'number') return checkNumberSetting(field, value, maxLength); // finite: checked by checkJson
  if (typeof value !== 'string') throw invalid(field, 'must be a string, a number or a boolean');
  if (value.length > maxLength) throw invalid(field, `is longer than ${maxLength} characters`);
}

/** A number stands for its text: it must survive JSON exactly (no integer past 2^53) and fit the field's length as text. */
function checkNumberSetting(field: string, value: number, maxLength: number): void {
  if (Number.isInteger(value) && !Number.isSafeInteger(value)) throw invalid(field, 'is an integer too large to be kept exactly: send it as a string');
  if (String(value).length > maxLength) throw invalid(field, `is longer than ${maxLength} characters`);
}

/** A number's or a reseller's own allow/deny lists: lists of known features, or null. */
export function checkFeatureLists(lists: unknown, field: string): void {
  if (lists === undefined || lists === null) return;
  if (typeof lists !== 'object' || Array.isArray(lists)) throw invalid(field, 'must be an object with allow and deny');
  for (const [key, list] of Object.entries(lists as FeatureLists)) {
    if (key !== 'allow' && key !== 'deny') throw invalid(`${field}.${key}`, 'is not allow or deny');
    if (list === null || list === undefined) continue;
    if (!Array.isArray(list) || list.length > FEATURES.length * 2 || !list.every(isFeature)) {
      throw invalid(`${field}.${key}`, 'must be a list of features or null');
    }
  }
}
