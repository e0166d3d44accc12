import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { AccountsModule } from './accounts/accounts.module';
import { AuditsModule } from './audits/audits.module';
import { BillingModule } from './billing/billing.module';
import { CarriersModule } from './carriers/carriers.module';
import { ConfigModule } from './config/config.module';
import { CoreModule, type CoreOptions } from './core/core.module';
import { IdempotencyModule } from './http/idempotency.module';
import { BACKGROUND_WORK, LedgerLifecycle } from './ledger-lifecycle';
import { LogModule } from './log/log.module';
import { LogTreeProjection } from './log/log-tree.projection';
import { NumbersModule } from './numbers/numbers.module';
import { OperationsModule } from './operations/operations.module';
import { ServicesModule } from './services/services.module';
import { SweeperModule } from './sweeper/sweeper.module';
import { TasksModule } from './tasks/tasks.module';

export interface LedgerOptions extends CoreOptions {
  /** The service's follow loop, sweeper, usage sync and checkpoint signer (default: on; the CLI: off). */
  background?: boolean;
}

const AREAS = [
  AccountsModule, ConfigModule, CarriersModule, NumbersModule, ServicesModule, AuditsModule,
  BillingModule, TasksModule, LogModule, SweeperModule, OperationsModule, IdempotencyModule,
];

/** The ledger without its transports: what the service serves and the CLI opens. */
@Module({})
export class LedgerModule {
  static forRoot(options: LedgerOptions): DynamicModule {
    const { background = true, ...core } = options;
    return {
      module: LedgerModule,
      imports: [
        CoreModule.forRoot({
          ...core,
          projections: [new LogTreeProjection(), ...(core.projections ?? [])],
          projectorThread: background && !core.projections?.length && !core.upcasters ? projectorWorker() : undefined,
        }),
        CqrsModule.forRoot(),
        ...AREAS,
      ],
      providers: [{ provide: BACKGROUND_WORK, useValue: background }, LedgerLifecycle],
      exports: AREAS,
    };
  }
}

/**
 * The projector thread's entry: compiled, or its TypeScript source when this process runs
 * the sources through a registered loader (the end-to-end tests' child processes; the thread
 * inherits it). Under Jest there is neither and the projector follows in the main thread. It
 * builds the standard projections only, hence not with a caller's own projections or upcasters.
 */
function projectorWorker(): string | undefined {
  const compiled = join(__dirname, 'projector-worker.js');
  if (existsSync(compiled)) return compiled;
  const source = join(__dirname, 'projector-worker.ts');
  return require.extensions['.ts'] && existsSync(source) ? source : undefined;
}
