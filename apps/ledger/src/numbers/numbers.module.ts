import { Module } from '@nestjs/common';
import type { EventStore } from '@ledger/event-store/port';
import type { SqlClient } from '@ledger/sql/sql-client';
import { AccountTree } from '../accounts/account-tree';
import { AccountsModule } from '../accounts/accounts.module';
import { CarriersModule } from '../carriers/carriers.module';
import { UpstreamCarrierGateway } from '../carriers/upstream-carrier-gateway';
import { ConfigModule } from '../config/config.module';
import { NumberManagerConfigStore } from '../config/number-manager-config.store';
import type { LedgerSettings } from '../core/ledger-settings';
import { SETTINGS, EVENTS, SQL } from '../core/tokens';
import { LogModule } from '../log/log.module';
import { AcquireNumberController } from './acquire-number/acquire-number.http';
import { AddNumberController } from './add-number/add-number.http';
import { CollectionController } from './collection/collection.http';
import { BillableNumberLimit } from './command-runner/billable-limit';
import { ExecuteNumberCommandHandler } from './command-runner/execute-number-command';
import { NumberCommandGateway } from './command-runner/number-command.gateway';
import { NumberCommandRunner } from './command-runner/number-command-runner';
import { GenerateNumbersController } from './generate/generate-numbers.http';
import { GetNumberController, GetNumberHandler, NumberHistoryHandler } from './get-number/get-number.http';
import { ListNumbersController, ListNumbersHandler } from './list-numbers/list-numbers.http';
import { ReleaseNumberController } from './release-number/release-number.http';
import { ReserveNumberController } from './reserve-number/reserve-number.http';
import { SearchNumbersController, SearchNumbersHandler } from './search-numbers/search-numbers.http';
import { SetFeaturesController } from './set-features/set-features.http';
import { ListAccountNumbersHandler } from './list-numbers/account-numbers';
import { RunCollectionHandler } from './collection/run-collection';
import { GenerateNumbersHandler } from './generate/generate-numbers';

/** The numbers: the write path (NumberCommandRunner behind the CommandBus) and the inventory's queries. */
@Module({
  // LogModule: a number's history comes with inclusion proofs from the log tree (`?proofs=`).
  imports: [AccountsModule, ConfigModule, CarriersModule, LogModule],
  controllers: [
    // static routes before parameterised ones
    SearchNumbersController, GenerateNumbersController, CollectionController, ListNumbersController,
    AddNumberController, ReserveNumberController, AcquireNumberController, ReleaseNumberController,
    SetFeaturesController, GetNumberController,
  ],
  providers: [
    ListAccountNumbersHandler, RunCollectionHandler, GenerateNumbersHandler,
    {
      provide: BillableNumberLimit,
      useFactory: (sql: SqlClient, settings: LedgerSettings, accounts: AccountTree) => new BillableNumberLimit(sql, settings.readModelSchema, accounts),
      inject: [SQL, SETTINGS, AccountTree],
    },
    {
      provide: NumberCommandRunner,
      useFactory: (events: EventStore, accounts: AccountTree, config: NumberManagerConfigStore, carriers: UpstreamCarrierGateway, limit: BillableNumberLimit) =>
        new NumberCommandRunner(events, accounts, config, carriers, limit),
      inject: [EVENTS, AccountTree, NumberManagerConfigStore, UpstreamCarrierGateway, BillableNumberLimit],
    },
    NumberCommandGateway, ExecuteNumberCommandHandler,
    GetNumberHandler, NumberHistoryHandler, ListNumbersHandler, SearchNumbersHandler,
  ],
  exports: [NumberCommandRunner, NumberCommandGateway, BillableNumberLimit],
})
export class NumbersModule {}
