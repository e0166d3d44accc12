import { LedgerError } from '@ledger/domain/errors';
import { consecutiveNumbers } from './consecutive-numbers';

describe('consecutive numbers (generate-numbers, SPEC 4)', () => {
  it('counts on from the start, keeping its digits', () => {
    expect([...consecutiveNumbers('+14155559998', 3)]).toEqual(['+14155559998', '+14155559999', '+14155560000']);
  });

  it('refuses, before yielding any, a range that would run into another country calling code', () => {
    expect(() => consecutiveNumbers('+19999999990', 12)).toThrow(LedgerError);
    expect(() => consecutiveNumbers('+19999999990', 12)).toThrow(/\+20000000001, outside the numbering plan of \+1/);
    expect([...consecutiveNumbers('+19999999990', 10)]).toHaveLength(10);
  });
});
