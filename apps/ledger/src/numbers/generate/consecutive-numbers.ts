import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { LedgerError } from '@ledger/domain/errors';

/**
 * `count` consecutive E.164 numbers from `start` (+14155550100, +14155550101, ...). The range
 * stays in the start's numbering plan: it may not run into more digits or into another
 * country calling code (+19999999999 + 1 is Egypt's +20000000000), so it is checked whole first.
 */
export function consecutiveNumbers(start: string, count: number): Iterable<string> {
  const digits = start.slice(1);
  const first = BigInt(digits);
  // Here, not in the generator: a generator's body runs only once it is read.
  refuseRangeLeavingPlan(start, `+${(first + BigInt(count) - 1n).toString()}`, digits.length);
  return numbersFrom(first, count, digits.length);
}

function* numbersFrom(first: bigint, count: number, digits: number): Generator<string> {
  for (let i = 0n; i < BigInt(count); i++) yield `+${(first + i).toString().padStart(digits, '0')}`;
}

function refuseRangeLeavingPlan(start: string, last: string, digits: number): void {
  const plan = (n: string) => parsePhoneNumberFromString(n)?.countryCallingCode;
  if (last.length - 1 === digits && plan(last) !== undefined && plan(last) === plan(start)) return;
  throw new LedgerError('validation_failed', `the range from ${start} ends at ${last}, outside the numbering plan of +${plan(start) ?? '?'}: start lower or generate fewer`, { field: 'count' });
}
