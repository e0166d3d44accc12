import { Module } from '@nestjs/common';
import type { EventStore } from '@ledger/event-store/port';
import { Projector } from '@ledger/projections/projector';
import type { SqlClient } from '@ledger/sql/sql-client';
import { CacheWatchers, WATCHERS } from '../core/cache-watchers';
import { LedgerMetrics } from '../core/ledger-metrics';
import type { LedgerSettings } from '../core/ledger-settings';
import { SETTINGS, SYSTEM_KEY, EVENTS, SQL } from '../core/tokens';
import { AccountTree } from './account-tree';
import { AccountWriter } from './account-writer';
import { AccountsController } from './accounts.http';
import { AuthThrottle, authRefusalsCounter } from './auth-throttle';
import { KeyRing } from './key-ring';
import { CreateAccountHandler } from './create-account/create-account';
import { GetAccountHandler } from './get-account/get-account';
import { IssueKeyHandler } from './account-keys/issue-key';
import { ListKeysHandler } from './account-keys/list-keys';
import { RevokeKeyHandler } from './account-keys/revoke-key';

/** Accounts and their tree, API keys and the authentication budget. */
@Module({
  controllers: [AccountsController],
  providers: [
    CreateAccountHandler, GetAccountHandler, IssueKeyHandler, ListKeysHandler, RevokeKeyHandler,
    {
      provide: AccountTree,
      useFactory: (sql: SqlClient, settings: LedgerSettings, watchers: CacheWatchers) => {
        const tree = new AccountTree(sql, settings.readModelSchema);
        // A failed reload leaves the previous tree; the next account event or write reloads again.
        watchers.listen(WATCHERS.accounts, () => void tree.reload().catch(() => undefined));
        return tree;
      },
      inject: [SQL, SETTINGS, CacheWatchers],
    },
    {
      provide: KeyRing,
      useFactory: (sql: SqlClient, settings: LedgerSettings, systemKey: string) =>
        new KeyRing(sql, settings.readModelSchema, systemKey, settings.previousSystemKey),
      inject: [SQL, SETTINGS, SYSTEM_KEY],
    },
    {
      provide: AuthThrottle,
      useFactory: (keys: KeyRing, settings: LedgerSettings, metrics: LedgerMetrics) =>
        new AuthThrottle(keys, { failures: settings.authFailures, windowSeconds: settings.authFailureWindowSeconds }, authRefusalsCounter(metrics.registry)),
      inject: [KeyRing, SETTINGS, LedgerMetrics],
    },
    {
      provide: AccountWriter,
      useFactory: (events: EventStore, projector: Projector, tree: AccountTree) => new AccountWriter(events, projector, tree),
      inject: [EVENTS, Projector, AccountTree],
    },
  ],
  exports: [AccountTree, KeyRing, AuthThrottle, AccountWriter],
})
export class AccountsModule {}
