/** SPEC 12, hostile input: every value a command would record is checked before any rule. */
import { LedgerError } from './errors';
import { FUTURE, given, table } from '@ledger/domain/test/fixture';
import type { AccountInfo, NumberCommand } from './types';
import { changedConfig, checkNewAccount, checkNumberManagerConfig, defaultConfig, INPUT_LIMITS, jsonFault } from '.';

const inService = () => given('in_service', 'child', 'knm_inventory');
const features = (changes: Record<string, unknown>): NumberCommand => ({ type: 'SetFeatures', changes });
const LONE = '\ud800';

describe('SPEC 12 - text the ledger can record', () => {
  table([
    { rule: 'a NUL in an account id is refused', given: given('available'), as: 'system', when: { type: 'ReserveNumber', accountId: 'child\u0000' }, error: 'validation_failed', message: 'accountId' },
    { rule: 'a lone surrogate in an account id is refused', given: given('available'), as: 'system', when: { type: 'ReserveNumber', accountId: `c${LONE}` }, error: 'validation_failed', message: 'surrogate' },
    { rule: 'an account id longer than 128 is refused', given: given('available'), as: 'system', when: { type: 'AcquireNumber', accountId: 'a'.repeat(129) }, error: 'validation_failed' },
    { rule: 'a well-formed pair of surrogates (an emoji) is text', given: given('in_service', 'child'), as: 'child', when: features({ prepend: { name: 'sales \ud83d\ude00' } }), then: [{ type: 'NumberFeaturesSet.v1' }] },
    { rule: 'a non-string account id is refused', given: given('available'), as: 'system', when: { type: 'AcquireNumber', accountId: 42 as unknown as string }, error: 'validation_failed' },
  ]);
});

describe('SPEC 12 - enumerations and instants', () => {
  table([
    { rule: 'a state that is not a SPEC 2 state is refused', as: 'system', when: { type: 'AddNumber', state: 'bogus' as never }, error: 'validation_failed', message: 'state' },
    { rule: 'a release reason outside the two is refused', given: inService(), as: 'child', when: { type: 'ReleaseNumber', reason: 'x' as never }, error: 'validation_failed' },
    { rule: 'expiresAt beyond year 9999 is refused', given: given('available'), as: 'child', when: { type: 'ReserveNumber', expiresAt: '+275760-09-13T00:00:00.000Z' }, error: 'validation_failed', message: 'out of range' },
    { rule: 'expiresAt in range is recorded', given: given('available'), as: 'child', when: { type: 'ReserveNumber', expiresAt: FUTURE }, then: [{ type: 'NumberReserved.v1', expiresAt: FUTURE }] },
    { rule: 'checks come before the state rules (a deleted number still refuses bad input)', as: 'system', when: { type: 'ReserveNumber', accountId: '\u0000' }, error: 'validation_failed' },
  ]);
});

describe('SPEC 5 and 12 - feature settings', () => {
  table([
    { rule: 'e911 with its fields is set', given: inService(), as: 'child', when: features({ e911: { street_address: '1 Main St', postal_code: '94103' } }), then: [{ type: 'NumberFeaturesSet.v1' }] },
    { rule: 'e911 camelCase fields are set', given: inService(), as: 'child', when: features({ e911: { callerName: 'A', streetAddress: '1 Main St' } }), then: [{ type: 'NumberFeaturesSet.v1' }] },
    { rule: 'an e911 street of 100 KB is refused', given: inService(), as: 'child', when: features({ e911: { street_address: 'x'.repeat(100_000) } }), error: 'validation_failed', message: 'e911' },
    { rule: 'an e911 street over 128 characters is refused', given: inService(), as: 'child', when: features({ e911: { street_address: 'x'.repeat(129) } }), error: 'validation_failed', message: 'features.e911.street_address' },
    { rule: 'an e911 postal code as a number past 2^53 is refused (JSON could not keep it exactly)', given: inService(), as: 'child', when: features({ e911: { postal_code: 12345678901234567000 } }), error: 'validation_failed', message: 'too large' },
    { rule: 'a number whose text is longer than the field is refused', given: inService(), as: 'child', when: features({ cnam: { inbound: 1234567 } }), error: 'validation_failed', message: 'longer than' },
    { rule: 'a small number in an e911 field is kept', given: inService(), as: 'child', when: features({ e911: { postal_code: 94103 } }), then: [{ type: 'NumberFeaturesSet.v1' }] },
    { rule: 'an unknown e911 field is refused', given: inService(), as: 'child', when: features({ e911: { planet: 'Mars' } }), error: 'validation_failed', message: 'not a setting' },
    { rule: 'a NUL in a cnam name is refused', given: inService(), as: 'child', when: features({ cnam: { display_name: 'A\u0000' } }), error: 'validation_failed' },
    { rule: 'a cnam display name over 64 is refused', given: inService(), as: 'child', when: features({ cnam: { display_name: 'n'.repeat(65) } }), error: 'validation_failed' },
    { rule: 'a prepend name over 64 is refused', given: inService(), as: 'child', when: features({ prepend: { name: 'p'.repeat(65) } }), error: 'validation_failed' },
    { rule: 'a ringback of nested objects is refused', given: inService(), as: 'child', when: features({ ringback: { early: { deeper: 'x' } } }), error: 'validation_failed' },
    { rule: 'a failover that is a list is refused', given: inService(), as: 'child', when: features({ failover: ['+1'] }), error: 'validation_failed', message: 'object' },
    { rule: 'force_outbound may be a plain boolean', given: inService(), as: 'child', when: features({ force_outbound: true }), then: [{ type: 'NumberFeaturesSet.v1', features: { force_outbound: true } }] },
    { rule: 'force_outbound may not be a string of 10 KB', given: inService(), as: 'child', when: features({ force_outbound: 'x'.repeat(10_000) }), error: 'validation_failed' },
    { rule: 'a free-shape feature takes a flat object of settings', given: inService(), as: 'child', when: features({ sms: { enabled: true } }), then: [{ type: 'NumberFeaturesSet.v1' }] },
    { rule: 'a free-shape feature may not nest', given: inService(), as: 'child', when: features({ sms: { a: { b: { c: 1 } } } }), error: 'validation_failed' },
    { rule: 'null removes a feature (no shape to check)', given: inService(), as: 'child', when: features({ prepend: null }), then: [] },
    { rule: 'an unknown feature is refused', given: inService(), as: 'child', when: features({ teleport: true }), error: 'validation_failed' },
    { rule: 'featureLists must list features', given: inService(), as: 'system', when: { type: 'SetFeatures', changes: {}, featureLists: { allow: ['x' as never] } }, error: 'validation_failed' },
  ]);
});

describe('SPEC 7 and 12 - usage references', () => {
  const usage = (usedBy: unknown): NumberCommand => ({ type: 'SetUsage', usedBy: usedBy as never });
  table([
    { rule: 'a service id with a NUL is refused', given: inService(), as: 'system', when: usage([{ type: 'user', id: 'u\u0000', accountId: 'child' }]), error: 'validation_failed', message: 'usedBy.0.id' },
    { rule: 'more than 1000 services are refused', given: inService(), as: 'system', when: usage(Array.from({ length: 1001 }, (_, i) => ({ type: 'user', id: `u${i}`, accountId: 'child' }))), error: 'validation_failed' },
    { rule: 'a null entry is refused', given: inService(), as: 'system', when: usage([null]), error: 'validation_failed' },
  ]);
});

describe('SPEC 12 - accounts as recorded', () => {
  const account = (extra: Record<string, unknown>): AccountInfo => ({
    id: 'acme', name: 'Acme', parentId: 'system', reseller: false, superAdmin: false, allowNumberAdditions: false, ...extra,
  });
  const refused = (extra: Record<string, unknown>) => {
    try {
      checkNewAccount(account(extra));
    } catch (e) {
      return (e as LedgerError).code;
    }
    return 'accepted';
  };
  it.each([
    ['maxBillableNumbers 2147483648 (over a PostgreSQL integer)', { maxBillableNumbers: 2_147_483_648 }, 'validation_failed'],
    ['maxBillableNumbers 1e308', { maxBillableNumbers: 1e308 }, 'validation_failed'],
    ['maxBillableNumbers -1', { maxBillableNumbers: -1 }, 'validation_failed'],
    ['maxBillableNumbers 1.5', { maxBillableNumbers: 1.5 }, 'validation_failed'],
    ['maxBillableNumbers "x"', { maxBillableNumbers: 'x' }, 'validation_failed'],
    ['maxBillableNumbers 2147483647 (the largest integer)', { maxBillableNumbers: INPUT_LIMITS.maxInteger }, 'accepted'],
    ['maxBillableNumbers 0', { maxBillableNumbers: 0 }, 'accepted'],
    ['maxBillableNumbers null (no limit)', { maxBillableNumbers: null }, 'accepted'],
    ['a name with a NUL', { name: 'Ac\u0000me' }, 'validation_failed'],
    ['a name with a lone surrogate', { name: `Acme${LONE}` }, 'validation_failed'],
    ['a name of 201 characters', { name: 'n'.repeat(201) }, 'validation_failed'],
    ['an id with a slash', { id: 'a/b' }, 'validation_failed'],
    ['a flag that is a string', { reseller: 'yes' }, 'validation_failed'],
  ])('given an account with %s, then %s', (_rule, extra, outcome) => {
    expect(refused(extra)).toBe(outcome);
  });
});

describe('SPEC 5 and 12 - number-manager configuration as recorded', () => {
  it('the default configuration (features.allow null: every feature) is valid', () => {
    expect(() => checkNumberManagerConfig(defaultConfig())).not.toThrow();
  });
  it('an allow list naming an unknown feature is refused', () => {
    expect(() => checkNumberManagerConfig({ ...defaultConfig(), features: { allow: ['x' as never], deny: [] } })).toThrow(LedgerError);
  });
});

describe('SPEC 12 - JSON values', () => {
  it('a value nested 10,000 deep is refused without overflowing the stack', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 10_000; i++) deep = { a: deep };
    expect(jsonFault(deep)?.reason).toContain('deeper');
  });
  it('a key with a NUL is refused', () => {
    expect(jsonFault({ ['a\u0000']: 1 })?.path).toBe('(key)');
  });
  it('a shallow object of text is accepted', () => {
    expect(jsonFault({ a: [1, 'b', { c: true }] })).toBeNull();
  });
});

describe('SPEC 5 - changing the number-manager configuration', () => {
  const emptied = changedConfig(defaultConfig(), { features: { allow: [], deny: [] } });
  it.each([
    ['features.allow null restores the default (every feature)', { features: { allow: null } }, null],
    ['features without allow keeps the allow list', { features: { deny: ['sms'] } }, []],
    ['a setting given as undefined changes nothing', { agingPeriodDays: undefined }, []],
  ])('given allow [], when %s', (_rule, change, allow) => {
    expect(changedConfig(emptied, change as never).features.allow).toEqual(allow);
  });
  it('agingPeriodDays beyond ten years is refused', () => {
    expect(() => changedConfig(defaultConfig(), { agingPeriodDays: 2_147_483_648 })).toThrow(LedgerError);
  });
});
