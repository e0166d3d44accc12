import { isISO8601, ValidateBy, ValidationOptions } from 'class-validator';

/**
 * An ISO 8601 date-time that names an instant: strict ISO 8601 (what the contract documents)
 * that `Date` also reads. ISO 8601 allows forms `Date` cannot (`2026-W01`, `20261204`,
 * `2026-12-04T10:00:00,5Z`); those are refused here, at the entry, not left to fail later.
 */
export function IsInstant(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy({
    name: 'isInstant',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && isISO8601(value, { strict: true }) && Number.isFinite(Date.parse(value)),
      defaultMessage: (args) => `${args?.property ?? 'value'} must be an ISO 8601 date-time such as 2024-01-01T00:00:00Z`,
    },
  }, options);
}
