import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { Projector } from '../../../libs/projections/src/projector';
import { EVENTS, SQL } from './stores/tokens';
import { AccountTree } from './accounts/account-tree';
import { AccountWriter } from './accounts/account-writer';
import { AccountsController } from './accounts/accounts.http';
import { KeyRing } from './accounts/key-ring';
import { NumberManagerConfigController } from './config/number-manager-config.http';
import { NumberManagerConfigStore } from './config/number-manager-config.store';
import { AuthGuard } from './http/auth.guard';
import { IdempotencyInterceptor } from './http/idempotency.interceptor';
import { IdempotencyStore } from './http/idempotency.store';
import { ProblemFilter } from './http/problem.filter';
import { LedgerRuntime } from './ledger-runtime';
import { AcquireNumberController } from './numbers/acquire-number/acquire-number.http';
import { AddNumberController } from './numbers/add-number/add-number.http';
import { CollectionController } from './numbers/collection/collection.http';
import { ExecuteNumberCommandHandler } from './numbers/command-runner/execute-number-command';
import { NumberCommandGateway } from './numbers/command-runner/number-command.gateway';
import { NumberCommandRunner } from './numbers/command-runner/number-command-runner';
import { GenerateNumbersController } from './numbers/generate/generate-numbers.http';
import { GetNumberController, GetNumberHandler, NumberHistoryHandler } from './numbers/get-number/get-number.http';
import { ListNumbersController, ListNumbersHandler } from './numbers/list-numbers/list-numbers.http';
import { ReleaseNumberController } from './numbers/release-number/release-number.http';
import { ReserveNumberController } from './numbers/reserve-number/reserve-number.http';
import { SearchNumbersController, SearchNumbersHandler } from './numbers/search-numbers/search-numbers.http';
import { SetFeaturesController } from './numbers/set-features/set-features.http';
import { LedgerMetrics } from './operations/ledger-metrics';
import { OperationsController } from './operations/operations.http';

/** The HTTP service over a runtime built beforehand (see main.ts and test/support). */
@Module({})
export class AppModule {
  static forRuntime(runtime: LedgerRuntime): DynamicModule {
    return {
      module: AppModule,
      imports: [CqrsModule.forRoot()],
      controllers: [
        OperationsController, AccountsController, NumberManagerConfigController,
        // static routes before parameterised ones
        SearchNumbersController, GenerateNumbersController, CollectionController, ListNumbersController,
        AddNumberController, ReserveNumberController, AcquireNumberController, ReleaseNumberController,
        SetFeaturesController, GetNumberController,
      ],
      providers: [
        { provide: LedgerRuntime, useValue: runtime },
        { provide: SQL, useValue: runtime.stores.sql },
        { provide: EVENTS, useValue: runtime.stores.events },
        { provide: Projector, useValue: runtime.projector },
        { provide: AccountTree, useValue: runtime.accounts },
        { provide: NumberManagerConfigStore, useValue: runtime.config },
        { provide: NumberCommandRunner, useValue: runtime.runner },
        { provide: KeyRing, useValue: runtime.keys },
        { provide: IdempotencyStore, useValue: runtime.idempotency },
        { provide: LedgerMetrics, useValue: runtime.metrics },
        { provide: AccountWriter, useFactory: () => new AccountWriter(runtime.stores.events, runtime.projector, runtime.accounts) },
        NumberCommandGateway, ExecuteNumberCommandHandler,
        GetNumberHandler, NumberHistoryHandler, ListNumbersHandler, SearchNumbersHandler,
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
        { provide: APP_FILTER, useClass: ProblemFilter },
      ],
    };
  }
}
