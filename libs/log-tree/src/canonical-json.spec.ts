import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { canonicalJson } from './canonical-json';
import { leafHash } from './hashing';
import { entryBytes, entryText, LogEntry, logEntryOf } from './log-entry';

// Any single UTF-16 code unit (lone surrogates included), whole code points, and the characters JSON escapes.
const unit = fc.oneof(
  fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  fc.constantFrom('"', '\\', '/', '\u0000', '\b', '\t', '\n', '\f', '\r', '\u001f', '\u007f', '\u2028', '\u2029', '\ud83d\ude00', '\ud800', '\udfff', 'é', '€'),
);
const text = fc.string({ unit, maxLength: 12 });
// Names as Object.keys lists them: integer-like ones come first in numeric order, whatever the insertion order.
const name = fc.oneof(text, fc.constantFrom('1', '10', '2', '01', '-1', '4294967294', '4294967295', '1e3', '', 'a', 'A', 'ä', '\ud83d\ude00'));
const number = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
  fc.constantFrom(-0, 0, 1e21, 1e-7, 1e-6, 5e-324, -5e-324, Number.MAX_VALUE, 2 ** 53, 0.1 + 0.2, 4.5, 1.5e3, -1e-27),
);
const { json } = fc.letrec<{ json: unknown }>((tie) => ({
  json: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(null, true, false),
    number,
    text,
    fc.array(tie('json'), { maxLength: 5 }),
    fc.dictionary(name, tie('json'), { maxKeys: 6 }),
  ),
}));

const entry: fc.Arbitrary<LogEntry> = fc.record({
  stream: text, revision: fc.nat(), eventId: text, type: text, data: json, metadata: json, recordedAt: text, position: text,
});

describe('canonical JSON (RFC 8785)', () => {
  it('writes what the canonicalize package writes, for any JSON value', () => {
    fc.assert(fc.property(json, (value) => {
      expect(canonicalJson(value)).toBe(canonicalize(value));
    }), { numRuns: 5000 });
  });

  it('writes an entry, and its UTF-8 bytes, as canonicalize does, and hashes the text as those bytes', () => {
    fc.assert(fc.property(entry, (e) => {
      const expected = canonicalize(e)!;
      expect(entryText(e)).toBe(expected);
      expect(entryBytes(e).equals(Buffer.from(expected, 'utf8'))).toBe(true);
      expect(leafHash(entryText(e)).equals(leafHash(Buffer.from(expected, 'utf8')))).toBe(true);
    }), { numRuns: 3000 });
  });

  it('sorts objects of one shape the same whatever order their members were added in, past the kept orders too', () => {
    const names = ['number', 'at', 'state', 'carrierModule', '10', '9', 'ä', 'A', '\ud83d\ude00', '\uff61'];
    fc.assert(fc.property(fc.shuffledSubarray(names, { minLength: 1 }), fc.array(number, { minLength: 10, maxLength: 10 }), (order, values) => {
      const object = Object.fromEntries(order.map((n, i) => [n, values[i]]));
      expect(canonicalJson({ object, again: [object, { ...object }] })).toBe(canonicalize({ object, again: [object, { ...object }] }));
    }), { numRuns: 3000 });
    // more shapes than are kept: the orders past the bound are computed each time
    for (let i = 0; i < 3000; i++) {
      const object = { [`k${i}`]: i, [`j${i % 7}`]: [i, { z: 1, [`${i}`]: -0 }], a: 'x' };
      expect(canonicalJson(object)).toBe(canonicalize(object));
    }
  });

  it('leaves out undefined members, writes null for undefined items, and follows toJSON, as canonicalize does', () => {
    const value = { b: undefined, a: [undefined, 1, new Date(0)], c: { toJSON: () => ({ y: 1, x: [2] }) } };
    expect(canonicalJson(value)).toBe(canonicalize(value));
    expect(canonicalJson(value)).toBe('{"a":[null,1,"1970-01-01T00:00:00.000Z"],"c":{"x":[2],"y":1}}');
    const partial = { ...logEntryOf({ streamId: 's', revision: 1, id: 'e', type: 't', data: undefined, metadata: {}, recordedAt: new Date(0), position: '1:1' }) };
    expect(entryText(partial)).toBe(canonicalize(partial));
  });

  it('refuses what JSON cannot hold', () => {
    for (const bad of [NaN, Infinity, -Infinity, { a: NaN }, [Infinity]]) expect(() => canonicalJson(bad)).toThrow();
    expect(() => canonicalJson(undefined)).toThrow();
    expect(() => canonicalJson({ a: 1n })).toThrow();
  });

  it('sorts by UTF-16 code units and escapes as JSON.stringify: the examples of RFC 8785 sections 3.2.2 and 3.2.3', () => {
    const values = JSON.parse(String.raw`{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
      "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/", "literals": [null, true, false]}`);
    expect(canonicalJson(values)).toBe(String.raw`{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}`);
    const sorting = JSON.parse(String.raw`{"\u20ac": "Euro Sign", "\r": "Carriage Return", "\ufb33": "Hebrew Letter Dalet With Dagesh", "1": "One",
      "\ud83d\ude00": "Emoji: Grinning Face", "\u0080": "Control", "\u00f6": "Latin Small Letter O With Diaeresis"}`);
    expect(canonicalJson(sorting)).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis","\u20ac":"Euro Sign",'
      + '"\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
  });

  it('writes numbers as ECMAScript does: the IEEE 754 samples of RFC 8785 appendix B', () => {
    const samples: Array<[string, string]> = [
      ['0000000000000000', '0'], ['8000000000000000', '0'], ['0000000000000001', '5e-324'], ['8000000000000001', '-5e-324'],
      ['7fefffffffffffff', '1.7976931348623157e+308'], ['ffefffffffffffff', '-1.7976931348623157e+308'],
      ['4340000000000000', '9007199254740992'], ['c340000000000000', '-9007199254740992'], ['4430000000000000', '295147905179352830000'],
      ['44b52d02c7e14af5', '9.999999999999997e+22'], ['44b52d02c7e14af6', '1e+23'], ['44b52d02c7e14af7', '1.0000000000000001e+23'],
      ['444b1ae4d6e2ef4e', '999999999999999700000'], ['444b1ae4d6e2ef4f', '999999999999999900000'], ['444b1ae4d6e2ef50', '1e+21'],
      ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'], ['3eb0c6f7a0b5ed8d', '0.000001'], ['41b3de4355555553', '333333333.3333332'],
      ['41b3de4355555554', '333333333.33333325'], ['41b3de4355555555', '333333333.3333333'], ['41b3de4355555556', '333333333.3333334'],
      ['41b3de4355555557', '333333333.33333343'], ['becbf647612f3696', '-0.0000033333333333333333'], ['43143ff3c1cb0959', '1424953923781206.2'],
    ];
    for (const [ieee, expected] of samples) expect(canonicalJson([Buffer.from(ieee, 'hex').readDoubleBE(0)])).toBe(`[${expected}]`);
  });
});
