import { Module } from '@nestjs/common';
import type { SqlClient } from '@ledger/sql/sql-client';
import { AccountsModule } from '../accounts/accounts.module';
import type { LedgerSettings } from '../core/ledger-settings';
import { LOG, SETTINGS, type LogLine, SQL } from '../core/tokens';
import { LogController } from './log.http';
import { VerifiableLog } from './verifiable-log';
import { LatestCheckpointHandler, ListCheckpointsHandler, PublicKeyHandler, SignCheckpointHandler } from './checkpoints/checkpoints';
import { ConsistencyProofHandler, InclusionProofHandler } from './proofs/proofs';

/** The verifiable history: the log tree's reads, proofs and signed checkpoints (docs/verifiable-history.md). */
@Module({
  imports: [AccountsModule],
  controllers: [LogController],
  providers: [
    LatestCheckpointHandler, ListCheckpointsHandler, PublicKeyHandler, SignCheckpointHandler, ConsistencyProofHandler, InclusionProofHandler,
    {
      provide: VerifiableLog,
      useFactory: (sql: SqlClient, settings: LedgerSettings, log: LogLine) => new VerifiableLog(sql, settings, log),
      inject: [SQL, SETTINGS, LOG],
    },
  ],
  exports: [VerifiableLog],
})
export class LogModule {}
