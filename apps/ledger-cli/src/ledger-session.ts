import { LedgerRuntime } from '../../ledger/src/ledger-runtime';
import { LedgerSettings, settingsFromEnv } from '../../ledger/src/ledger-settings';
import { comparePositions, LogPosition } from '@ledger/event-store/port';
import { BulkTasks } from '../../ledger/src/tasks/bulk-tasks';
import { Requester } from '@ledger/domain/types';
import { SYSTEM_ACCOUNT_ID } from '@ledger/domain/account/events';

/**
 * The stores the service uses, opened with the service's own configuration (the same
 * environment variables), without the HTTP server, the projector's follow loop or the sweeper.
 */
export class LedgerSession {
  private tasksCache: BulkTasks | null = null;

  private constructor(readonly runtime: LedgerRuntime) {}

  static async open(env: NodeJS.ProcessEnv, log: (m: string) => void): Promise<LedgerSession> {
    const settings: LedgerSettings = settingsFromEnv(env);
    // LedgerRuntime.create also brings every read model up to date.
    return new LedgerSession(await LedgerRuntime.create(settings, { log }));
  }

  get tasks(): BulkTasks {
    return (this.tasksCache ??= BulkTasks.forRuntime(this.runtime));
  }

  /** The operator, or `--as ACCOUNT` to act with that account's rights. */
  requester(as?: string): Requester {
    if (!as || as === SYSTEM_ACCOUNT_ID) return { accountId: SYSTEM_ACCOUNT_ID, isSystem: true };
    if (!this.runtime.accounts.get(as)) throw new CliError(`unknown account ${as}`);
    return { accountId: as, isSystem: false };
  }

  /**
   * Read models up to `position`: a running service (PostgreSQL) projects them itself, so wait
   * for it a little; otherwise (embedded PGlite, or no service running) project here.
   */
  async settle(position: LogPosition | null, waitMs = 3000): Promise<void> {
    const { projector, stores } = this.runtime;
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
    await this.runtime.close();
  }
}

/** A refusal the operator can act on: printed without a stack, exit code 2. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode = 2) {
    super(message);
  }
}
