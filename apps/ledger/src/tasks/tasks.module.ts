import { Module } from '@nestjs/common';
import type { EventStore } from '@ledger/event-store/port';
import type { SqlClient } from '@ledger/sql/sql-client';
import { AccountTree } from '../accounts/account-tree';
import { AccountsModule } from '../accounts/accounts.module';
import { ConfigModule } from '../config/config.module';
import { NumberManagerConfigStore } from '../config/number-manager-config.store';
import type { LedgerSettings } from '../core/ledger-settings';
import { SETTINGS, EVENTS, SQL } from '../core/tokens';
import { BillableNumberLimit } from '../numbers/command-runner/billable-limit';
import { NumberCommandRunner } from '../numbers/command-runner/number-command-runner';
import { NumbersModule } from '../numbers/numbers.module';
import { Projector } from '@ledger/projections/projector';
import { BulkTasks } from './bulk-tasks';
import { TaskJournal } from './task-journal';
import { TaskStorage } from './task-storage';
import { TasksController } from './tasks.http';
import { SubmitTaskHandler } from './submit-task/submit-task';
import { GetTaskHandler, GetTaskOutputHandler } from './read-task/read-task';

/** Bulk tasks: CSV imports and exports, run in the background and resumed after a restart. */
@Module({
  imports: [AccountsModule, ConfigModule, NumbersModule],
  controllers: [TasksController],
  providers: [
    SubmitTaskHandler, GetTaskHandler, GetTaskOutputHandler,
    {
      provide: TaskStorage,
      useFactory: (sql: SqlClient, settings: LedgerSettings) => new TaskStorage(sql, settings.readModelSchema),
      inject: [SQL, SETTINGS],
    },
    {
      provide: BulkTasks,
      useFactory: (
        events: EventStore, sql: SqlClient, settings: LedgerSettings, storage: TaskStorage,
        runner: NumberCommandRunner, accounts: AccountTree, config: NumberManagerConfigStore, limits: BillableNumberLimit, projector: Projector,
      ) => new BulkTasks({
        journal: new TaskJournal(events),
        storage,
        runner,
        events,
        accounts,
        config,
        sql,
        schema: settings.readModelSchema,
        limits,
        projector,
      }),
      inject: [EVENTS, SQL, SETTINGS, TaskStorage, NumberCommandRunner, AccountTree, NumberManagerConfigStore, BillableNumberLimit, Projector],
    },
  ],
  exports: [TaskStorage, BulkTasks],
})
export class TasksModule {}
