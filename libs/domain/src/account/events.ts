/** Events of the account aggregate (stream `account-<id>`). */
import type { DomainEvent } from '../decider';
import { envelopeCodec } from '../events/stored-event';
import type { AccountInfo } from '../types';

export const ACCOUNT_EVENT_TYPES = {
  AccountCreated: 'AccountCreated.v1',
  AccountKeyIssued: 'AccountKeyIssued.v1',
  AccountKeyRevoked: 'AccountKeyRevoked.v1',
} as const;

/** The account as created: every field of AccountInfo, and when. */
export interface AccountCreated extends AccountInfo {
  at: string;
}

export interface AccountKeyIssued {
  keyId: string;
  name: string | null;
  /** sha256 of the key; the key itself is shown once and never stored. */
  keyHash: string;
  at: string;
}

/** The key is refused from now on (its row keeps the record that it existed). */
export interface AccountKeyRevoked {
  keyId: string;
  at: string;
}

export type AccountEvent =
  | DomainEvent<typeof ACCOUNT_EVENT_TYPES.AccountCreated, AccountCreated>
  | DomainEvent<typeof ACCOUNT_EVENT_TYPES.AccountKeyIssued, AccountKeyIssued>
  | DomainEvent<typeof ACCOUNT_EVENT_TYPES.AccountKeyRevoked, AccountKeyRevoked>;

export const accountEvents = envelopeCodec<AccountEvent>({
  [ACCOUNT_EVENT_TYPES.AccountCreated]: {
    id: 'string', name: 'string', parentId: 'string|null?', reseller: 'boolean', superAdmin: 'boolean', allowNumberAdditions: 'boolean',
    maxBillableNumbers: 'number|null?', features: 'object?', at: 'string',
  },
  [ACCOUNT_EVENT_TYPES.AccountKeyIssued]: { keyId: 'string', name: 'string|null', keyHash: 'string', at: 'string' },
  [ACCOUNT_EVENT_TYPES.AccountKeyRevoked]: { keyId: 'string', at: 'string' },
});

export const SYSTEM_ACCOUNT_ID = 'system';
export const ACCOUNT_STREAM_PREFIX = 'account-';
export const accountStreamId = (id: string): string => `${ACCOUNT_STREAM_PREFIX}${id}`;
