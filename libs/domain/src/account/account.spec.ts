/** SPEC 12: the account aggregate (tenancy root, hostile input, API keys stored only as hashes). */
import { deciderTable } from '@ledger/domain/test/decider-table';
import { accountDecider, AccountExistsError } from './decider';
import type { AccountCreated, AccountEvent } from './events';

const at = '2024-06-01T00:00:00.000Z';
const acme: AccountCreated = { id: 'acme', name: 'Acme', parentId: 'system', reseller: false, superAdmin: false, allowNumberAdditions: true, at };
const created: AccountEvent = { type: 'AccountCreated.v1', data: acme };
const key = { keyId: 'k1', name: 'ci', keyHash: 'ab'.repeat(32), at };

describe('SPEC 12 - an account is created once, as it would be recorded', () => {
  deciderTable(accountDecider, [
    { rule: 'a new account is recorded whole', when: { type: 'CreateAccount', account: acme }, then: [{ type: 'AccountCreated.v1', data: acme }], state: { exists: true } },
    { rule: 'a second creation of the same account is refused', given: [created], when: { type: 'CreateAccount', account: acme }, error: AccountExistsError, message: 'account acme exists' },
    {
      rule: 'a stream with any event counts as existing (a key issued first)',
      given: [{ type: 'AccountKeyIssued.v1', data: key }], when: { type: 'CreateAccount', account: acme }, error: AccountExistsError,
    },
    { rule: 'hostile input: an id the API cannot name', when: { type: 'CreateAccount', account: { ...acme, id: '../x' } }, error: 'validation_failed' },
    { rule: 'hostile input: a flag that is not a boolean', when: { type: 'CreateAccount', account: { ...acme, reseller: 'yes' as unknown as boolean } }, error: 'validation_failed' },
    { rule: 'hostile input: a limit beyond the read model integer', when: { type: 'CreateAccount', account: { ...acme, maxBillableNumbers: 2 ** 40 } }, error: 'validation_failed' },
    { rule: 'hostile input is refused before the existence check', given: [created], when: { type: 'CreateAccount', account: { ...acme, name: 7 as unknown as string } }, error: 'validation_failed' },
  ]);
});

describe('SPEC 12 - API keys are stored only as hashes', () => {
  deciderTable(accountDecider, [
    { rule: 'an issued key records its id, label and hash', given: [created], when: { type: 'IssueKey', key }, then: [{ type: 'AccountKeyIssued.v1', data: key }] },
    { rule: 'a key label is short text', given: [created], when: { type: 'IssueKey', key: { ...key, name: 'x'.repeat(10_000) } }, error: 'validation_failed' },
    { rule: 'a revoked key is recorded as refused from then on', given: [created], when: { type: 'RevokeKey', revoked: { keyId: 'k1', at } }, then: [{ type: 'AccountKeyRevoked.v1', data: { keyId: 'k1' } }] },
  ]);
});
