import { isISO8601, ValidateBy, ValidationOptions } from 'class-validator';

/** A time of day must carry `Z` or an offset: without, `Date` reads it in the server's time zone. */
const OFFSET = /(Z|[+-]\d{2}(:?\d{2})?)$/i;
const isLocalTime = (value: string) => value.includes('T') && !OFFSET.test(value);

/**
 * An ISO 8601 date-time that names an instant: strict ISO 8601 (what the contract documents)
 * that `Date` also reads. ISO 8601 allows forms `Date` cannot (`2026-W01`, `20261204`,
 * `2026-12-04T10:00:00,5Z`), and a time without its offset names no instant: those are refused
 * here, at the entry, not left to fail later.
 */
export function IsInstant(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy({
    name: 'isInstant',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && isISO8601(value, { strict: true }) && Number.isFinite(Date.parse(value)) && !isLocalTime(value),
      defaultMessage: (args) => `${args?.property ?? 'value'} must be an ISO 8601 date-time with its offset, such as 2024-01-01T00:00:00Z`,
    },
  }, options);
}
