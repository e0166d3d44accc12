import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { IdempotencyModule } from '../http/idempotency.module';
import { NumbersModule } from '../numbers/numbers.module';
import { AccountsGrpcController } from './accounts.grpc';
import { AuditsGrpcController } from './audits.grpc';
import { BillingGrpcController } from './billing.grpc';
import { GrpcCaller } from './grpc-caller';
import { LogGrpcController } from './log.grpc';
import { NumbersGrpcController } from './numbers.grpc';
import { ReconciliationsGrpcController } from './reconciliations.grpc';
import { ServicesGrpcController } from './services.grpc';
import { TasksGrpcController } from './tasks.grpc';

/** The gRPC entries (no HTTP routes; served by startGrpcServer). */
@Module({
  imports: [AccountsModule, NumbersModule, IdempotencyModule],
  controllers: [
    NumbersGrpcController, AccountsGrpcController, BillingGrpcController,
    ServicesGrpcController, AuditsGrpcController, TasksGrpcController, ReconciliationsGrpcController, LogGrpcController,
  ],
  providers: [GrpcCaller],
  exports: [GrpcCaller],
})
export class GrpcModule {}
