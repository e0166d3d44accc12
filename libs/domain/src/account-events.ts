/** Events of the account aggregate (stream `account-<id>`) and of the operator configuration. */
import { AccountInfo, NumberManagerConfig } from './types';

export const ACCOUNT_EVENT_TYPES = {
  AccountCreated: 'AccountCreated.v1',
  AccountKeyIssued: 'AccountKeyIssued.v1',
  AccountKeyRevoked: 'AccountKeyRevoked.v1',
  NumberManagerConfigured: 'NumberManagerConfigured.v1',
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

export interface NumberManagerConfigured {
  config: NumberManagerConfig;
  at: string;
}

export const SYSTEM_ACCOUNT_ID = 'system';
export const accountStreamId = (id: string): string => `account-${id}`;
export const CONFIG_STREAM_ID = 'config-number-manager';
