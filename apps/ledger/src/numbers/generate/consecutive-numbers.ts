/** `count` consecutive E.164 numbers from `start` (+14155550100, +14155550101, ...). */
export function* consecutiveNumbers(start: string, count: number): Generator<string> {
  const digits = start.slice(1);
  const first = BigInt(digits);
  for (let i = 0n; i < BigInt(count); i++) {
    yield `+${(first + i).toString().padStart(digits.length, '0')}`;
  }
}
