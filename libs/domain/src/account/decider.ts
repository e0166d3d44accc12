import type { Decider } from '../decider';
import { checkKeyName, checkNewAccount } from '../validation/account-input';
import { ACCOUNT_EVENT_TYPES, type AccountCreated, type AccountEvent, type AccountKeyIssued, type AccountKeyRevoked } from './events';

export type AccountCommand =
  | { type: 'CreateAccount'; account: AccountCreated }
  /** The key is made (and hashed) by the caller: randomness is not the domain's. */
  | { type: 'IssueKey'; key: AccountKeyIssued }
  | { type: 'RevokeKey'; revoked: AccountKeyRevoked };

export interface AccountState {
  exists: boolean;
}

/** Creating an account whose stream exists (answered 409 `account_exists`). */
export class AccountExistsError extends Error {
  constructor(readonly accountId: string) {
    super(`account ${accountId} exists`);
    this.name = 'AccountExistsError';
  }
}

/**
 * SPEC 12 (tenancy, hostile input), in order:
 * 1. CreateAccount: the account as it would be recorded passes `checkNewAccount`
 *    (an id the API can name, text, booleans, a bounded integer limit);
 * 2. an account is created once, on a stream that does not exist yet: else `AccountExistsError`;
 * 3. IssueKey: the key's label is short text; only its hash is recorded;
 * 4. RevokeKey: recorded as given (revoking twice changes nothing in the read model).
 */
export function decideAccount(command: AccountCommand, state: AccountState): AccountEvent[] {
  switch (command.type) {
    case 'CreateAccount':
      checkNewAccount(command.account);
      if (state.exists) throw new AccountExistsError(command.account.id);
      return [{ type: ACCOUNT_EVENT_TYPES.AccountCreated, data: command.account }];
    case 'IssueKey':
      checkKeyName(command.key.name);
      return [{ type: ACCOUNT_EVENT_TYPES.AccountKeyIssued, data: command.key }];
    case 'RevokeKey':
      return [{ type: ACCOUNT_EVENT_TYPES.AccountKeyRevoked, data: command.revoked }];
  }
}

/** Any event means the stream exists, and an account is created only on a stream that does not. */
export function evolveAccount(_state: AccountState, _event: AccountEvent): AccountState {
  return { exists: true };
}

export const accountDecider: Decider<AccountCommand, AccountEvent, AccountState> = {
  decide: decideAccount,
  evolve: evolveAccount,
  initialState: () => ({ exists: false }),
};
