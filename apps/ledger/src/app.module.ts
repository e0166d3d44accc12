import { DynamicModule, Logger, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { Projector } from '@ledger/projections/projector';
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
import { CarrierDirectory } from './carriers/carrier-directory';
import { ReconciliationsController } from './carriers/reconciliation/reconciliations.http';
import { CarrierReconciliations } from './carriers/reconciliation/carrier-reconciliations';
import { CarrierSettingsStore } from './carriers/carrier-settings.store';
import { ResellerCarriersController } from './carriers/settings/reseller-carriers.http';
import { SystemCarriersController } from './carriers/settings/system-carriers.http';
import { SetFeaturesController } from './numbers/set-features/set-features.http';
import { LedgerMetrics } from './operations/ledger-metrics';
import { OperationsController } from './operations/operations.http';
import { BulkTasks } from './tasks/bulk-tasks';
import { TasksController, TaskWorkerLifecycle } from './tasks/tasks.http';
import { AccountsGrpcController } from './grpc/accounts.grpc';
import { BillingGrpcController } from './grpc/billing.grpc';
import { GrpcCaller } from './grpc/grpc-caller';
import { NumbersGrpcController } from './grpc/numbers.grpc';
import { ServicesGrpcController } from './grpc/services.grpc';
import { AuditsGrpcController } from './grpc/audits.grpc';
import { ReconciliationsGrpcController } from './grpc/reconciliations.grpc';
import { TasksGrpcController } from './grpc/tasks.grpc';
import { RegisterServiceController } from './services/register-service/register-service.http';
import { ListServicesController, ListServicesHandler } from './services/list-services/list-services.http';
import { ServiceRegistry } from './services/service-registry';
import { TenantViewInterceptor } from './accounts/tenant-view';
import { AuthThrottle } from './accounts/auth-throttle';
import { AuditsController } from './audits/audits.http';
import { AuditLifecycle } from './audits/audit-lifecycle';
import { AuditRunner, auditOptionsFromEnv } from './audits/audit-runner';
import { BillingController } from './billing/billing.http';
import { BillingQueryHandler } from './billing/billing-query';
import { LogController } from './log/log.http';
import { LogGrpcController } from './grpc/log.grpc';
import { CreateAccountHandler } from './accounts/create-account/create-account';
import { GetAccountHandler } from './accounts/get-account/get-account';
import { IssueKeyHandler } from './accounts/account-keys/issue-key';
import { ListKeysHandler } from './accounts/account-keys/list-keys';
import { RevokeKeyHandler } from './accounts/account-keys/revoke-key';
import { ListAccountNumbersHandler } from './numbers/list-numbers/account-numbers';
import { RunCollectionHandler } from './numbers/collection/run-collection';
import { GenerateNumbersHandler } from './numbers/generate/generate-numbers';
import { RegisterServiceHandler } from './services/register-service/register-service';
import { RemoveServiceHandler } from './services/remove-service/remove-service';
import { StartAuditHandler } from './audits/start-audit/start-audit';
import { GetAuditHandler } from './audits/get-audit/get-audit';
import { GetQuantitiesHandler, QuantitiesCsvHandler } from './billing/quantities/quantities';
import { GetNumberDaysHandler } from './billing/number-days/number-days';
import { ReconcileCarriersHandler } from './carriers/reconciliation/reconcile-carriers';
import { GetReconciliationHandler, ListReconciliationsHandler } from './carriers/reconciliation/read-reconciliations';
import { SubmitTaskHandler } from './tasks/submit-task/submit-task';
import { GetTaskHandler, GetTaskOutputHandler } from './tasks/read-task/read-task';
import { LatestCheckpointHandler, ListCheckpointsHandler, PublicKeyHandler, SignCheckpointHandler } from './log/checkpoints/checkpoints';
import { ConsistencyProofHandler, InclusionProofHandler } from './log/proofs/proofs';

/** The HTTP service over a runtime built beforehand (see main.ts and test/support). */
@Module({})
export class AppModule {
  static forRuntime(runtime: LedgerRuntime): DynamicModule {
    return {
      module: AppModule,
      imports: [CqrsModule.forRoot()],
      controllers: [
        OperationsController, AccountsController, NumberManagerConfigController,
        SystemCarriersController, ResellerCarriersController, ReconciliationsController,
        // static routes before parameterised ones
        SearchNumbersController, GenerateNumbersController, CollectionController, ListNumbersController,
        AddNumberController, ReserveNumberController, AcquireNumberController, ReleaseNumberController,
        SetFeaturesController, GetNumberController,
        TasksController,
        RegisterServiceController, ListServicesController, AuditsController, BillingController, LogController,
        // gRPC entries (no HTTP routes; served by startGrpcServer)
        NumbersGrpcController, AccountsGrpcController, BillingGrpcController,
        ServicesGrpcController, AuditsGrpcController, TasksGrpcController, ReconciliationsGrpcController, LogGrpcController,
      ],
      providers: [
        { provide: LedgerRuntime, useValue: runtime },
        { provide: SQL, useValue: runtime.stores.sql },
        { provide: EVENTS, useValue: runtime.stores.events },
        { provide: Projector, useValue: runtime.projector },
        { provide: AccountTree, useValue: runtime.accounts },
        { provide: NumberManagerConfigStore, useValue: runtime.config },
        { provide: CarrierDirectory, useValue: runtime.carriers },
        { provide: CarrierReconciliations, useValue: runtime.reconciliations },
        { provide: CarrierSettingsStore, useValue: runtime.carriers.store },
        { provide: NumberCommandRunner, useValue: runtime.runner },
        { provide: KeyRing, useValue: runtime.keys },
        { provide: AuthThrottle, useValue: runtime.throttle },
        { provide: IdempotencyStore, useValue: runtime.idempotency },
        { provide: LedgerMetrics, useValue: runtime.metrics },
        { provide: AccountWriter, useFactory: () => new AccountWriter(runtime.stores.events, runtime.projector, runtime.accounts) },
        NumberCommandGateway, ExecuteNumberCommandHandler,
        GrpcCaller,
        GetNumberHandler, NumberHistoryHandler, ListNumbersHandler, SearchNumbersHandler,
        { provide: BulkTasks, useFactory: () => BulkTasks.forRuntime(runtime) }, TaskWorkerLifecycle,
        {
          provide: ServiceRegistry,
          useFactory: () => new ServiceRegistry(runtime.stores.events, runtime.usageSync),
        },
        ListServicesHandler, BillingQueryHandler,
        {
          provide: AuditRunner,
          useFactory: () => {
            const log = new Logger('audits'); // the service's pino logger once the app has one
            return new AuditRunner(runtime.stores.sql, runtime.stores.events, runtime.projector, runtime.runner, { ...auditOptionsFromEnv(), log: (m) => log.log(m) });
          },
        },
        AuditLifecycle,
        // use-case handlers of the entries (the lead moves them into their area modules)
        CreateAccountHandler, GetAccountHandler, IssueKeyHandler, ListKeysHandler, RevokeKeyHandler,
        ListAccountNumbersHandler, RunCollectionHandler, GenerateNumbersHandler,
        RegisterServiceHandler, RemoveServiceHandler,
        StartAuditHandler, GetAuditHandler,
        GetQuantitiesHandler, QuantitiesCsvHandler, GetNumberDaysHandler,
        ReconcileCarriersHandler, GetReconciliationHandler, ListReconciliationsHandler,
        SubmitTaskHandler, GetTaskHandler, GetTaskOutputHandler,
        LatestCheckpointHandler, ListCheckpointsHandler, SignCheckpointHandler, PublicKeyHandler, InclusionProofHandler, ConsistencyProofHandler,
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_INTERCEPTOR, useClass: TenantViewInterceptor }, // outermost: replays too leave through the caller's view
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
        { provide: APP_FILTER, useClass: ProblemFilter },
      ],
    };
  }
}
