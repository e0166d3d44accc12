import { Module } from '@nestjs/common';
import type { EventStore } from '@ledger/event-store/port';
import { Projector } from '@ledger/projections/projector';
import type { SqlClient } from '@ledger/sql/sql-client';
import { AccountsModule } from '../accounts/accounts.module';
import { NumberCommandRunner } from '../numbers/command-runner/number-command-runner';
import { NumbersModule } from '../numbers/numbers.module';
import { EVENTS, SQL } from '../core/tokens';
import { ListServicesController, ListServicesHandler } from './list-services/list-services.http';
import { RegisterServiceController } from './register-service/register-service.http';
import { ServiceRegistry } from './service-registry';
import { UsageSync } from './usage-sync';
import { RegisterServiceHandler } from './register-service/register-service';
import { RemoveServiceHandler } from './remove-service/remove-service';

/** The service registry and the usage it sets on numbers. */
@Module({
  imports: [AccountsModule, NumbersModule],
  controllers: [RegisterServiceController, ListServicesController],
  providers: [
    RegisterServiceHandler, RemoveServiceHandler,
    {
      provide: UsageSync,
      useFactory: (events: EventStore, sql: SqlClient, projector: Projector, runner: NumberCommandRunner) => new UsageSync(events, sql, projector, runner),
      inject: [EVENTS, SQL, Projector, NumberCommandRunner],
    },
    {
      provide: ServiceRegistry,
      useFactory: (events: EventStore, usage: UsageSync) => new ServiceRegistry(events, usage),
      inject: [EVENTS, UsageSync],
    },
    ListServicesHandler,
  ],
  exports: [UsageSync, ServiceRegistry],
})
export class ServicesModule {}
