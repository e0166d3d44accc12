import { RecordedEvent } from '@ledger/event-store/port';
import { SqlExecutor } from '@ledger/sql/sql-client';
import { ACCOUNT_EVENT_TYPES, AccountCreated, AccountKeyIssued, AccountKeyRevoked } from '@ledger/domain/account-events';
import { Projection } from '../projection';

/** The account registry: the tree (with each account's path from the root) and hashed API keys. */
export class AccountsProjection implements Projection {
  readonly name = 'accounts';
  readonly tables = [
    { name: 'accounts', key: 'id' },
    { name: 'account_keys', key: 'key_id' },
  ];

  constructor(private readonly onChange?: (events: RecordedEvent[]) => void) {}

  ddl(s: string): string {
    return `
      CREATE TABLE IF NOT EXISTS ${s}.accounts (
        id text PRIMARY KEY,
        name text NOT NULL,
        parent_id text,
        path text[] NOT NULL,
        reseller boolean NOT NULL,
        super_admin boolean NOT NULL,
        allow_number_additions boolean NOT NULL,
        features jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL
      );
      ALTER TABLE ${s}.accounts ADD COLUMN IF NOT EXISTS max_billable_numbers integer;
      CREATE INDEX IF NOT EXISTS accounts_path ON ${s}.accounts USING gin (path);
      CREATE TABLE IF NOT EXISTS ${s}.account_keys (
        key_id text PRIMARY KEY,
        account_id text NOT NULL,
        name text,
        key_hash text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL
      );
      ALTER TABLE ${s}.account_keys ADD COLUMN IF NOT EXISTS revoked_at timestamptz;
    `;
  }

  async apply(tx: SqlExecutor, events: RecordedEvent[], s: string): Promise<void> {
    for (const e of events) {
      if (e.type === ACCOUNT_EVENT_TYPES.AccountCreated) await this.created(tx, s, e.data as unknown as AccountCreated);
      if (e.type === ACCOUNT_EVENT_TYPES.AccountKeyIssued) {
        const k = e.data as unknown as AccountKeyIssued;
        await tx.query(
          `INSERT INTO ${s}.account_keys (key_id, account_id, name, key_hash, created_at) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (key_id) DO NOTHING`,
          [k.keyId, e.streamId.slice('account-'.length), k.name, k.keyHash, k.at],
        );
      }
      if (e.type === ACCOUNT_EVENT_TYPES.AccountKeyRevoked) {
        const k = e.data as unknown as AccountKeyRevoked;
        await tx.query(`UPDATE ${s}.account_keys SET revoked_at = $2 WHERE key_id = $1 AND revoked_at IS NULL`, [k.keyId, k.at]);
      }
    }
  }

  private async created(tx: SqlExecutor, s: string, a: AccountCreated): Promise<void> {
    await tx.query(
      `INSERT INTO ${s}.accounts (id, name, parent_id, path, reseller, super_admin, allow_number_additions, features, created_at, max_billable_numbers)
       SELECT $1, $2, $3::text, COALESCE((SELECT path FROM ${s}.accounts WHERE id = $3::text), '{}') || $1::text,
              $4, $5, $6, $7, $8, $9
       ON CONFLICT (id) DO NOTHING`,
      [a.id, a.name, a.parentId, a.reseller, a.superAdmin, a.allowNumberAdditions, JSON.stringify(a.features ?? {}), a.at, a.maxBillableNumbers ?? null],
    );
  }

  afterCommit(events: RecordedEvent[]): void {
    if (events.some((e) => e.type === ACCOUNT_EVENT_TYPES.AccountCreated)) this.onChange?.(events);
  }
}
