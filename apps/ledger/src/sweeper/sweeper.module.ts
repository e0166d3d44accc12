import { Module } from '@nestjs/common';
import { Projector } from '@ledger/projections/projector';
import type { SqlClient } from '@ledger/sql/sql-client';
import { CarrierDirectory } from '../carriers/carrier-directory';
import { CarriersModule } from '../carriers/carriers.module';
import type { LedgerSettings } from '../core/ledger-settings';
import { SETTINGS, SQL } from '../core/tokens';
import { NumberCommandRunner } from '../numbers/command-runner/number-command-runner';
import { NumbersModule } from '../numbers/numbers.module';
import { Sweeper } from './sweeper';

/** The time-driven moves: aging, expiring reservations and discoveries, settling carrier orders. */
@Module({
  imports: [CarriersModule, NumbersModule],
  providers: [
    {
      provide: Sweeper,
      useFactory: (sql: SqlClient, projector: Projector, runner: NumberCommandRunner, carriers: CarrierDirectory, settings: LedgerSettings) =>
        new Sweeper(sql, projector, runner, carriers, settings.sweepIntervalMs),
      inject: [SQL, Projector, NumberCommandRunner, CarrierDirectory, SETTINGS],
    },
  ],
  exports: [Sweeper],
})
export class SweeperModule {}
