import { Logger, Module } from '@nestjs/common';
import type { EventStore } from '@ledger/event-store/port';
import { Projector } from '@ledger/projections/projector';
import type { SqlClient } from '@ledger/sql/sql-client';
import { AccountsModule } from '../accounts/accounts.module';
import { NumberCommandRunner } from '../numbers/command-runner/number-command-runner';
import { NumbersModule } from '../numbers/numbers.module';
import { EVENTS, SQL } from '../core/tokens';
import { AuditRunner, auditOptionsFromEnv } from './audit-runner';
import { AuditsController } from './audits.http';
import { StartAuditHandler } from './start-audit/start-audit';
import { GetAuditHandler } from './get-audit/get-audit';

/** Audits of numbers' usage (SPEC 7). */
@Module({
  imports: [AccountsModule, NumbersModule],
  controllers: [AuditsController],
  providers: [
    StartAuditHandler, GetAuditHandler,
    {
      provide: AuditRunner,
      useFactory: (sql: SqlClient, events: EventStore, projector: Projector, runner: NumberCommandRunner) => {
        const log = new Logger('audits'); // the service's pino logger once the app has one
        return new AuditRunner(sql, events, projector, runner, { ...auditOptionsFromEnv(), log: (m) => log.log(m) });
      },
      inject: [SQL, EVENTS, Projector, NumberCommandRunner],
    },
  ],
  exports: [AuditRunner],
})
export class AuditsModule {}
