import { LedgerError } from '../errors';
import { INPUT_LIMITS } from './input-limits';

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
// NUL cannot be stored in PostgreSQL text or jsonb; other C0 controls (but tab, LF, CR) and DEL are never data here.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** Why `value` is not text the ledger can record, or null when it is. */
export function textFault(value: string, maxLength: number): string | null {
  if (value.length > maxLength) return `is longer than ${maxLength} characters`;
  if (LONE_SURROGATE.test(value)) return 'holds a lone UTF-16 surrogate (not a Unicode character)';
  if (CONTROL.test(value)) return 'holds a control character';
  return null;
}

export function invalid(field: string, reason: string): LedgerError {
  return new LedgerError('validation_failed', `${field} ${reason}`, { field, errors: [{ field, message: `${field} ${reason}` }] });
}

/** A string of at most `maxLength` characters with no NUL, control character or lone surrogate. */
export function checkText(value: unknown, field: string, maxLength: number = INPUT_LIMITS.textLength): string {
  if (typeof value !== 'string') throw invalid(field, 'must be a string');
  const fault = textFault(value, maxLength);
  if (fault) throw invalid(field, fault);
  return value;
}

export function checkOptionalText(value: unknown, field: string, maxLength?: number): void {
  if (value !== undefined && value !== null) checkText(value, field, maxLength);
}

/** A whole number in [min, max] (a PostgreSQL integer by default). */
export function checkInteger(value: unknown, field: string, min = 0, max: number = INPUT_LIMITS.maxInteger): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) throw invalid(field, 'must be an integer');
  if (value < min || value > max) throw invalid(field, `must be between ${min} and ${max}`);
  return value;
}

/** An ISO 8601 instant within the range every store and column can hold. */
export function checkInstant(value: unknown, field: string): string {
  checkText(value, field, 64);
  const ms = Date.parse(value as string);
  if (Number.isNaN(ms)) throw invalid(field, 'must be an ISO 8601 instant');
  if (ms < INPUT_LIMITS.earliestInstant || ms > INPUT_LIMITS.latestInstant) throw invalid(field, 'is out of range (1970 to 9999)');
  return value as string;
}
