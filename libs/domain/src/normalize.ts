import { isPossiblePhoneNumber, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { LedgerError } from './errors';

/** SPEC 8 normalization rules, first match wins (applied to the input stripped of formatting). */
export const NORMALIZATION_RULES: ReadonlyArray<{ name: string; pattern: RegExp; toE164: (m: RegExpExecArray) => string }> = [
  { name: 'nanp', pattern: /^(\+?1)?([2-9][0-9]{2}[2-9][0-9]{6})$/, toE164: (m) => `+1${m[2]}` },
  { name: 'international_011', pattern: /^011(\d{5,})$/, toE164: (m) => `+${m[1]}` },
  { name: 'international_00', pattern: /^00(\d{5,})$/, toE164: (m) => `+${m[1]}` },
  { name: 'international_bare', pattern: /^[2-9]\d{7,}$/, toE164: (m) => `+${m[0]}` },
];

const NANP_E164 = /^\+1[2-9][0-9]{2}[2-9][0-9]{6}$/;
/** E.164: `+`, a country code not starting with 0, at most 15 digits. */
const E164_SHAPE = /^\+[1-9]\d{1,14}$/;
/** Formatting characters people type: spaces, dashes, dots, slashes, parentheses. */
const FORMATTING = /[\s\-./()\u00a0]/g;

function notReconcilable(input: string, why: string): LedgerError {
  return new LedgerError('not_reconcilable', `${JSON.stringify(input)} is not a phone number (${why})`, { input });
}

/**
 * SPEC 8: normalizes `input` to E.164, or throws `not_reconcilable`.
 * 1. strip formatting; input starting with `+` is kept as is;
 * 2. otherwise the SPEC regex rules, first match wins;
 * 3. otherwise national parsing for `country` by libphonenumber-js.
 * Validation: a `+1` result must be a NANP number (`+1NXXNXXXXXX`; no
 * exchange/line checks, so test ranges such as 555-01xx are accepted); any
 * other result must be a possible number (country code and length) for
 * libphonenumber-js.
 */
export function normalizeNumber(input: string, country = 'US'): string {
  if (typeof input !== 'string') throw notReconcilable(String(input), 'not a string');
  const cleaned = input.trim().replace(FORMATTING, '');
  if (!/^\+?\d+$/.test(cleaned)) throw notReconcilable(input, 'unexpected characters');

  let candidate: string | undefined;
  if (cleaned.startsWith('+')) {
    candidate = cleaned;
  } else {
    for (const rule of NORMALIZATION_RULES) {
      const m = rule.pattern.exec(cleaned);
      if (m) { candidate = rule.toE164(m); break; }
    }
  }
  if (candidate === undefined) {
    const parsed = safeParse(cleaned, country);
    if (parsed) candidate = parsed;
  }
  if (candidate === undefined) throw notReconcilable(input, 'no normalization rule matches');
  if (!E164_SHAPE.test(candidate)) throw notReconcilable(input, 'not E.164');
  if (candidate.startsWith('+1')) {
    if (!NANP_E164.test(candidate)) throw notReconcilable(input, 'not a valid NANP number');
  } else if (!isPossiblePhoneNumber(candidate)) {
    throw notReconcilable(input, 'impossible number for its country code');
  }
  return candidate;
}

function safeParse(national: string, country: string): string | undefined {
  try {
    const p = parsePhoneNumberFromString(national, country.toUpperCase() as CountryCode);
    return p && p.isPossible() ? p.number : undefined;
  } catch {
    return undefined;
  }
}

/** Like `normalizeNumber`, returning undefined instead of throwing. */
export function tryNormalizeNumber(input: string, country = 'US'): string | undefined {
  try {
    return normalizeNumber(input, country);
  } catch {
    return undefined;
  }
}

/** True when `e164` is already in the normalized form this library produces. */
export function isNormalizedE164(e164: string): boolean {
  return tryNormalizeNumber(e164) === e164;
}
