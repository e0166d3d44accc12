import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { TenantViewInterceptor } from './grpc/tenant-view.interceptor';
import { AuditLifecycle } from './audits/audit-lifecycle';
import type { CoreOptions } from './core/core.module';
import { GrpcModule } from './grpc/grpc.module';
import { AuthGuard } from './http/auth.guard';
import { HttpAnswerInterceptor } from './http-answer.interceptor';
import { IdempotencyInterceptor } from './http/idempotency.interceptor';
import { ProblemFilter } from './http/problem.filter';
import { LedgerModule } from './ledger.module';
import { TaskWorkerLifecycle } from './tasks/tasks.http';

/** The service: the ledger's modules, its HTTP and gRPC entries, the workers that resume after a restart. */
@Module({})
export class AppModule {
  static forRoot(options: CoreOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [LedgerModule.forRoot({ ...options, background: true }), GrpcModule],
      providers: [
        TaskWorkerLifecycle, AuditLifecycle, TenantViewInterceptor, IdempotencyInterceptor,
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_INTERCEPTOR, useClass: HttpAnswerInterceptor },
        { provide: APP_FILTER, useClass: ProblemFilter },
      ],
    };
  }
}
