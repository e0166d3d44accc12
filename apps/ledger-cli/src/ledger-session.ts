import { ConsoleLogger, INestApplicationContext, Logger, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { LedgerSettings, settingsFromEnv } from '../../ledger/src/core/ledger-settings';
import { SETTINGS, STORES } from '../../ledger/src/core/tokens';
import { LedgerModule } from '../../ledger/src/ledger.module';
import type { LedgerStores } from '../../ledger/src/core/open-stores';
import { AccountTree } from '../../ledger/src/accounts/account-tree';
import { comparePositions, LogPosition } from '@ledger/event-store/port';
import { Projector } from '@ledger/projections/projector';
import { BulkTasks } from '../../ledger/src/tasks/bulk-tasks';
import { Requester } from '@ledger/domain/types';
import { SYSTEM_ACCOUNT_ID } from '@ledger/domain/account/events';

/**
 * The stores the service uses, opened with the service's own configuration (the same
 * environment variables), without the HTTP server, the projector's follow loop or the sweeper.
 */
export class LedgerSession {
  private constructor(private readonly app: INestApplicationContext) {}

  static async open(env: NodeJS.ProcessEnv, log: (m: string) => void): Promise<LedgerSession> {
    const settings: LedgerSettings = settingsFromEnv(env);
    // Starting the modules also brings every read model up to date (LedgerLifecycle).
    const app = await NestFactory.createApplicationContext(LedgerModule.forRoot({ settings, log, background: false }), {
      logger: false, // a refused start is the CLI's to report, once
      abortOnError: false,
    });
    Logger.overrideLogger(new ConsoleLogger()); // what the ledger's classes log goes where it went before Nest ran the CLI
    return new LedgerSession(app);
  }

  /** One collaborator of the ledger, by its class or token (the same providers the service runs on). */
  get<T>(token: Type<T> | symbol): T {
    return this.app.get<T>(token);
  }

  get stores(): LedgerStores {
    return this.get<LedgerStores>(STORES);
  }

  get settings(): LedgerSettings {
    return this.get<LedgerSettings>(SETTINGS);
  }

  get tasks(): BulkTasks {
    return this.get(BulkTasks);
  }

  /** The operator, or `--as ACCOUNT` to act with that account's rights. */
  requester(as?: string): Requester {
    // `--as ""` (an unset variable in a script) is a mistake, not a request for the system's rights.
    if (as === '') throw new CliError('--as needs an account id');
    if (as === undefined || as === SYSTEM_ACCOUNT_ID) return { accountId: SYSTEM_ACCOUNT_ID, isSystem: true };
    if (!this.get(AccountTree).get(as)) throw new CliError(`unknown account ${JSON.stringify(as.slice(0, 128))}`);
    return { accountId: as, isSystem: false };
  }

  /**
   * Read models up to `position`: a running service (PostgreSQL) projects them itself, so wait
   * for it a little; otherwise (embedded PGlite, or no service running) project here.
   */
  async settle(position: LogPosition | null, waitMs = 3000): Promise<void> {
    const projector = this.get(Projector);
    const stores = this.stores;
    if (position && stores.sql.kind === 'postgres') {
      const deadline = Date.now() + waitMs;
      while (Date.now() < deadline) {
        // Each projection's checkpoint; one that stopped at an event will not move (catchUp reports it).
        const r = await stores.sql.query<{ position: string }>(
          `SELECT position FROM ${projector.schema}.projection_checkpoints WHERE failure IS NULL`,
        );
        if (r.rows.length && r.rows.every((row) => comparePositions(row.position, position) >= 0)) return;
        await new Promise((res) => setTimeout(res, 100));
      }
    }
    // Another process may have moved the checkpoint since this one read it.
    if (stores.sql.kind === 'postgres') await projector.migrate();
    await projector.catchUp();
  }

  async close(): Promise<void> {
    await this.app.close(); // LedgerLifecycle closes the stores last
  }
}

/** A refusal the operator can act on: printed without a stack, exit code 2. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode = 2) {
    super(message);
  }
}
