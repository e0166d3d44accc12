import { Module } from '@nestjs/common';
import type { SqlClient } from '@ledger/sql/sql-client';
import type { LedgerSettings } from '../core/ledger-settings';
import { SETTINGS, SQL } from '../core/tokens';
import { IdempotencyStore } from './idempotency.store';
import { ProblemFilter } from './problem.filter';

/** Idempotency-Key claims and kept answers (SPEC 11), shared by HTTP and gRPC; the CLI expires dead claims at start. */
@Module({
  providers: [
    {
      provide: IdempotencyStore,
      useFactory: (sql: SqlClient, settings: LedgerSettings) => {
        const problems = new ProblemFilter();
        return new IdempotencyStore(sql, settings.readModelSchema, (err) => problems.toProblem(err), settings.idempotencyLeaseMs, settings.testIdempotencyPause);
      },
      inject: [SQL, SETTINGS],
    },
  ],
  exports: [IdempotencyStore],
})
export class IdempotencyModule {}
