import fc from 'fast-check';
import { isoTime } from './iso-time';

describe('isoTime', () => {
  it('writes what Date.toISOString writes, for any date, in any order of days', () => {
    fc.assert(fc.property(fc.array(fc.date({ noInvalidDate: true }), { minLength: 1, maxLength: 20 }), (dates) => {
      for (const d of dates) expect(isoTime(d)).toBe(d.toISOString());
    }), { numRuns: 2000 });
    for (const t of [0, -1, 86_399_999, 86_400_000, -86_400_000, 8.64e15, -8.64e15, 253_402_300_799_999, 253_402_300_800_000]) {
      expect(isoTime(new Date(t))).toBe(new Date(t).toISOString());
    }
    expect(() => isoTime(new Date(Number.NaN))).toThrow(RangeError);
  });
});
