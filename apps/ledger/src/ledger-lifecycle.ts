import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Projector } from '@ledger/projections/projector';
import { AccountTree } from './accounts/account-tree';
import { CredentialSeal } from './carriers/credential-seal';
import { migrationsDdl, sealLegacyCredentialsOnce } from './carriers/seal-legacy-credentials';
import type { LedgerSettings } from './core/ledger-settings';
import { LOG, SETTINGS, STORES, type LogLine } from './core/tokens';
import { IdempotencyStore } from './http/idempotency.store';
import { VerifiableLog } from './log/verifiable-log';
import { UsageSync } from './services/usage-sync';
import type { LedgerStores } from './core/open-stores';
import { Sweeper } from './sweeper/sweeper';
import { TaskStorage } from './tasks/task-storage';

/** Whether this process runs the background work (the service) or only opens the ledger (the CLI). */
export const BACKGROUND_WORK = Symbol('BackgroundWork');

/**
 * Start and stop of the ledger, in one place because the order spans areas: tables, then
 * dead claims and credential migrations, then the read models caught up, then (the service
 * only) the follow loop, sweeper, usage sync and checkpoint signer; on shutdown the reverse,
 * the stores last.
 */
@Injectable()
export class LedgerLifecycle implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(STORES) private readonly stores: LedgerStores,
    @Inject(SETTINGS) private readonly settings: LedgerSettings,
    @Inject(LOG) private readonly log: LogLine,
    @Inject(BACKGROUND_WORK) private readonly background: boolean,
    private readonly projector: Projector,
    private readonly accounts: AccountTree,
    private readonly seal: CredentialSeal,
    private readonly idempotency: IdempotencyStore,
    private readonly sweeper: Sweeper,
    private readonly usageSync: UsageSync,
    private readonly tasks: TaskStorage,
    private readonly verifiableLog: VerifiableLog,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.prepare().catch(async (err) => {
      await this.stores.close(); // frees the data directory for the next attempt
      throw err;
    });
  }

  onApplicationBootstrap(): void {
    if (!this.background) return;
    this.projector.start();
    this.sweeper.start();
    this.usageSync.start();
    this.verifiableLog.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.sweeper.stop();
    await this.usageSync.stop();
    await this.verifiableLog.stop();
    await this.projector.stop();
    await this.idempotency.releaseOwnClaims().catch(() => undefined);
    await this.stores.close();
  }

  private async prepare(): Promise<void> {
    const { sql } = this.stores;
    const schema = this.settings.readModelSchema;
    await createTables(async () => {
      await this.projector.migrate();
      await sql.exec(this.idempotency.ddl());
      await sql.exec(this.sweeper.ddl());
      await sql.exec(this.tasks.ddl());
      await sql.exec(this.usageSync.ddl());
      await sql.exec(this.seal.ddl());
      await sql.exec(migrationsDdl(schema));
    });
    // Under the directory lock no other process runs a request: every pending claim is a dead one's.
    if (this.stores.lock) await this.idempotency.expireAllClaims();
    if (this.settings.previousSecretsKey) await this.seal.resealAll();
    const sealed = await sealLegacyCredentialsOnce(this.stores, this.seal, schema);
    if (sealed > 0) this.log(`sealed the carrier credentials of ${sealed} settings events recorded before sealing (docs/secrets.md)`);
    await this.projector.catchUp();
    await this.accounts.reload();
  }
}

/**
 * Instances starting together race on `CREATE ... IF NOT EXISTS` (PostgreSQL checks the
 * catalog before it locks); the loser fails with a duplicate error and simply tries again.
 */
async function createTables(create: () => Promise<void>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await create();
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (attempt >= 5 || !['23505', '42P07', '42710'].includes(String(code))) throw err;
      await new Promise((r) => setTimeout(r, 50 * attempt));
    }
  }
}
