import { RecordedEvent } from '@ledger/event-store/port';
import { SqlExecutor } from '@ledger/sql/sql-client';
import { ACCOUNT_EVENT_TYPES, ACCOUNT_STREAM_PREFIX, AccountCreated, AccountEvent, accountEvents } from '@ledger/domain/account/events';
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
      if (e.streamId.startsWith(ACCOUNT_STREAM_PREFIX)) await this.applyOne(tx, s, e.streamId.slice(ACCOUNT_STREAM_PREFIX.length), accountEvents.read(e));
    }
  }

  private async applyOne(tx: SqlExecutor, s: string, accountId: string, e: AccountEvent): Promise<void> {
    switch (e.type) {
      case ACCOUNT_EVENT_TYPES.AccountCreated:
        return this.created(tx, s, e.data);
      case ACCOUNT_EVENT_TYPES.AccountKeyIssued: {
        const k = e.data;
        await tx.query(
          `INSERT INTO ${s}.account_keys (key_id, account_id, name, key_hash, created_at) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (key_id) DO NOTHING`,
          [k.keyId, accountId, k.name, k.keyHash, k.at],
        );
        return;
      }
      case ACCOUNT_EVENT_TYPES.AccountKeyRevoked:
        await tx.query(`UPDATE ${s}.account_keys SET revoked_at = $2 WHERE key_id = $1 AND revoked_at IS NULL`, [e.data.keyId, e.data.at]);
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
