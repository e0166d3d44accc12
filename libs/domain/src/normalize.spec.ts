/** SPEC 8: E.164 normalization and classifiers. */
import { DEFAULT_CLASSIFIERS, classify, validateClassifiers } from './classify';
import { LedgerError } from './errors';
import { isNormalizedE164, normalizeNumber, tryNormalizeNumber } from './normalize';

describe('SPEC 8 - normalization', () => {
  it.each<[string, string, string?]>([
    // rule 1: (+1)? NXX NXX XXXX -> +1 + 10 digits
    ['rule 1: 10 digits', '4155550100'],
    ['rule 1: 1 + 10 digits', '14155550100'],
    ['rule 1: +1 + 10 digits', '+14155550100'],
    ['rule 1: formatted', '(415) 555-0100'],
    ['rule 1: dotted', '415.555.0100'],
    ['rule 1: 555-01xx test ranges are accepted', '2125550199', '+12125550199'],
    // rule 2: 011 / 00 international prefixes
    ['rule 2: 011 prefix', '011442071234567', '+442071234567'],
    ['rule 2: 00 prefix', '00442071234567', '+442071234567'],
    ['rule 2: 00 prefix, formatted', '00 33 6 12 34 56 78', '+33612345678'],
    // rule 3: [2-9] and 8+ digits -> + digits
    ['rule 3: bare international digits', '442071234567', '+442071234567'],
    // input starting with + is kept
    ['+ input is kept', '+33612345678', '+33612345678'],
    ['+ input, formatted', '+44 20 7123 4567', '+442071234567'],
  ])('%s: %j', (_rule, input, expected = '+14155550100') => {
    expect(normalizeNumber(input)).toBe(expected);
  });

  it('national numbers of another country are parsed for that country (libphonenumber-js)', () => {
    expect(normalizeNumber('020 7123 4567', 'GB')).toBe('+442071234567');
    expect(normalizeNumber('06 12 34 56 78', 'FR')).toBe('+33612345678');
  });

  it.each([
    ['letters', 'call me'],
    ['empty', ''],
    ['too short', '12345'],
    ['NANP area code starting with 1', '+11234567890'],
    ['NANP exchange starting with 0', '4150550100'],
    ['impossible for its country code', '+999999999999'],
    ['too long for E.164', '+1234567890123456'],
    ['a short code', '911'],
    ['national number without a country rule', '0123'],
  ])('not_reconcilable: %s (%j)', (_why, input) => {
    expect(() => normalizeNumber(input)).toThrow(LedgerError);
    expect(() => normalizeNumber(input)).toThrow(expect.objectContaining({ code: 'not_reconcilable' }));
  });

  it('tryNormalizeNumber and isNormalizedE164', () => {
    expect(tryNormalizeNumber('nope')).toBeUndefined();
    expect(isNormalizedE164('+14155550100')).toBe(true);
    expect(isNormalizedE164('4155550100')).toBe(false);
  });
});

describe('SPEC 8 - classifiers (first match wins)', () => {
  it.each([
    ['+18005550100', 'tollfree_us'],
    ['+18885550100', 'tollfree_us'],
    ['+18775550100', 'tollfree_us'],
    ['+18665550100', 'tollfree_us'],
    ['+18555550100', 'tollfree_us'],
    ['+18445550100', 'tollfree_us'],
    ['+18335550100', 'tollfree_us'],
    ['+18225550100', 'tollfree_us'],
    ['+19005550100', 'toll_us'],
    ['911', 'emergency'],
    ['988', 'emergency'],
    ['833', 'emergency'],
    ['999', 'emergency'],
    ['+18095550100', 'caribbean'],
    ['+18765550100', 'caribbean'],
    ['+13405550100', 'caribbean'],
    ['+14155550100', 'did_us'],
    ['+12125550199', 'did_us'],
    ['+442071234567', 'international'],
    ['+33612345678', 'international'],
    ['+1411', 'unknown'],
    ['+012345678', 'unknown'],
  ])('%s is %s', (e164, expected) => expect(classify(e164)).toBe(expected));

  it('the table is configurable and first match wins', () => {
    const custom = [{ name: 'london', pattern: '^\\+4420' }, ...DEFAULT_CLASSIFIERS];
    expect(classify('+442071234567', custom)).toBe('london');
    expect(classify('+33612345678', custom)).toBe('international');
    expect(classify('+18005550100', [{ name: 'anything_us', pattern: '^\\+1' }, ...DEFAULT_CLASSIFIERS])).toBe('anything_us');
    expect(classify('+14155550100', [])).toBe('unknown');
  });

  it('invalid classifier patterns are validation_failed', () => {
    expect(() => validateClassifiers([{ name: 'bad', pattern: '(' }])).toThrow(expect.objectContaining({ code: 'validation_failed' }));
    expect(() => validateClassifiers(DEFAULT_CLASSIFIERS)).not.toThrow();
  });
});
