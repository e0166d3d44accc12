import { CONFIG_STREAM_ID } from '@ledger/domain/config/events';
import { Projector } from '@ledger/projections/projector';
import { InventoryProjection } from '@ledger/projections/inventory/projection';
import { AccountsProjection } from '@ledger/projections/accounts/projection';
import { TasksProjection } from '@ledger/projections/tasks/projection';
import { UsageProjection } from '@ledger/projections/usage/projection';
import { BillingProjection } from '@ledger/projections/billing/projection';
import { AuditsProjection } from '@ledger/projections/audits/projection';
import { cacheWatcher, Projection } from '@ledger/projections/projection';
import { failureLine, ProjectionFailure } from '@ledger/projections/projection-failure';
import { LEDGER_UPCASTERS, Upcasters } from '@ledger/projections/upcasters';
import { AccountTree } from './accounts/account-tree';
import { KeyRing } from './accounts/key-ring';
import { CredentialSeal, loadOperatorKey, operatorKeyFrom } from './carriers/credential-seal';
import { migrationsDdl, sealLegacyCredentialsOnce } from './carriers/seal-legacy-credentials';
import { AuthThrottle, authRefusalsCounter } from './accounts/auth-throttle';
import { loadSystemKey } from './accounts/system-key';
import { NumberManagerConfigStore } from './config/number-manager-config.store';
import { IdempotencyStore } from './http/idempotency.store';
import { ProblemFilter } from './http/problem.filter';
import { LedgerSettings } from './ledger-settings';
import { NumberCommandRunner } from './numbers/command-runner/number-command-runner';
import { BillableNumberLimit } from './numbers/command-runner/billable-limit';
import { LedgerMetrics } from './operations/ledger-metrics';
import { LedgerStores, openStores } from './stores/open-stores';
import { Sweeper } from './sweeper/sweeper';
import { ReconciliationsProjection } from '@ledger/projections/reconciliations/projection';
import { CarrierDirectory } from './carriers/carrier-directory';
import { CarrierSettingsStore } from './carriers/carrier-settings.store';
import { UpstreamCarrierGateway } from './carriers/upstream-carrier-gateway';
import { CarrierReconciliations } from './carriers/reconciliation/carrier-reconciliations';
import { TaskStorage } from './tasks/task-storage';
import { UsageSync } from './services/usage-sync';
import { VerifiableLog } from './log/verifiable-log';

/**
 * Everything the service runs on, built once before Nest starts: stores,
 * projector, caches, the write path. The Nest module only exposes these.
 */
export class LedgerRuntime {
  readonly projector: Projector;
  readonly accounts: AccountTree;
  readonly config: NumberManagerConfigStore;
  readonly runner: NumberCommandRunner;
  readonly keys: KeyRing;
  readonly throttle: AuthThrottle;
  readonly idempotency: IdempotencyStore;
  readonly metrics = new LedgerMetrics();
  readonly sweeper: Sweeper;
  /** Upstream carriers: settings per system and reseller, clients, the write path's gateway. */
  readonly carriers: CarrierDirectory;
  /** Carrier reconciliation runs (docs/carriers.md). */
  readonly reconciliations: CarrierReconciliations;
  /** Follows the registry's events and sets the numbers' usage (crash-safe, from its checkpoint). */
  readonly usageSync: UsageSync;
  /** Seals carrier credentials (SPEC 12, docs/secrets.md). */
  readonly seal: CredentialSeal;
  /** The log tree, its proofs and signed checkpoints (docs/verifiable-history.md). */
  readonly log: VerifiableLog;

  private constructor(
    readonly settings: LedgerSettings,
    readonly stores: LedgerStores,
    readonly systemKey: string,
    extraProjections: Projection[],
    operatorKey: Buffer,
    options: RuntimeOptions & { log: (msg: string) => void },
  ) {
    const schema = settings.readModelSchema;
    this.seal = new CredentialSeal(stores.sql, schema, operatorKey, settings.previousSecretsKey ? operatorKeyFrom(settings.previousSecretsKey) : null);
    this.log = new VerifiableLog(stores.sql, settings, options.log);
    this.accounts = new AccountTree(stores.sql, schema);
    this.config = new NumberManagerConfigStore(stores.events);
    const carrierSettings = new CarrierSettingsStore(stores.events, this.seal);
    // A failed reload leaves the previous tree; the next account event or write reloads again.
    const accountsProjection = new AccountsProjection(() => void this.accounts.reload().catch(() => undefined));
    this.projector = new Projector(stores.events, stores.sql, [
      new InventoryProjection(),
      accountsProjection,
      configWatcher(() => this.config.invalidate()),
      carrierSettings.watcher(),
      new TasksProjection(),
      new UsageProjection(),
      new BillingProjection(),
      new AuditsProjection(),
      new ReconciliationsProjection(),
      this.log.projection,
      ...extraProjections,
    ], {
      schema,
      upcasters: { ...LEDGER_UPCASTERS, ...options.upcasters },
      onFailure: options.onProjectionFailure ?? ((f) => (options.log ?? console.error)(failureLine(f))),
    });
    this.runner = new NumberCommandRunner(stores.events, this.accounts, this.config);
    this.carriers = new CarrierDirectory(carrierSettings, this.accounts, this.config);
    this.runner.carriers = new UpstreamCarrierGateway(this.carriers);
    this.reconciliations = new CarrierReconciliations(this);
    this.runner.limits = new BillableNumberLimit(stores.sql, schema, this.accounts);
    this.keys = new KeyRing(stores.sql, schema, systemKey, settings.previousSystemKey);
    this.throttle = new AuthThrottle(this.keys, { failures: settings.authFailures, windowSeconds: settings.authFailureWindowSeconds }, authRefusalsCounter(this.metrics.registry));
    const problems = new ProblemFilter();
    this.idempotency = new IdempotencyStore(stores.sql, schema, (err) => problems.toProblem(err), settings.idempotencyLeaseMs, settings.testIdempotencyPause);
    this.sweeper = new Sweeper(this, settings.sweepIntervalMs);
    this.usageSync = new UsageSync(stores.events, stores.sql, this.projector, this.runner);
  }

  static async create(
    settings: LedgerSettings,
    options: RuntimeOptions & { projections?: Projection[] } = {},
  ): Promise<LedgerRuntime> {
    const stores = await openStores(settings);
    return LedgerRuntime.prepare(settings, stores, options).catch(async (err) => {
      await stores.close(); // frees the data directory for the next attempt
      throw err;
    });
  }

  private static async prepare(
    settings: LedgerSettings,
    stores: LedgerStores,
    options: { log?: (msg: string) => void; projections?: Projection[] },
  ): Promise<LedgerRuntime> {
    const log = options.log ?? ((m: string) => console.log(m));
    const systemKey = loadSystemKey(settings.systemKey, settings.dataDir, log);
    const operatorKey = loadOperatorKey(settings.secretsKey, settings.dataDir, log);
    const runtime = new LedgerRuntime(settings, stores, systemKey, options.projections ?? [], operatorKey, { ...options, log });
    await createTables(async () => {
      await runtime.projector.migrate();
      await stores.sql.exec(runtime.idempotency.ddl());
      await stores.sql.exec(runtime.sweeper.ddl());
      await stores.sql.exec(new TaskStorage(stores.sql, settings.readModelSchema).ddl());
      await stores.sql.exec(runtime.usageSync.ddl());
      await stores.sql.exec(runtime.seal.ddl());
      await stores.sql.exec(migrationsDdl(settings.readModelSchema));
    });
    // Under the directory lock no other process runs a request: every pending claim is a dead one's.
    if (stores.lock) await runtime.idempotency.expireAllClaims();
    if (settings.previousSecretsKey) await runtime.seal.resealAll();
    const sealed = await sealLegacyCredentialsOnce(stores, runtime.seal, settings.readModelSchema);
    if (sealed > 0) log(`sealed the carrier credentials of ${sealed} settings events recorded before sealing (docs/secrets.md)`);
    await runtime.projector.catchUp();
    await runtime.accounts.reload();
    return runtime;
  }

  start(): void {
    this.projector.start();
    this.sweeper.start();
    this.usageSync.start();
    this.log.start();
  }

  async close(): Promise<void> {
    await this.sweeper.stop();
    await this.usageSync.stop();
    await this.log.stop();
    await this.projector.stop();
    await this.idempotency.releaseOwnClaims().catch(() => undefined);
    await this.stores.close();
  }
}

export interface RuntimeOptions {
  log?: (msg: string) => void;
  /** Told once per projection that stops at an event it cannot apply (default: one line to `log`). */
  onProjectionFailure?: (failure: ProjectionFailure) => void;
  /** Upcasters beside LEDGER_UPCASTERS (docs/projections.md). */
  upcasters?: Upcasters;
}

/** Invalidates the configuration cache when any instance changes it. */
function configWatcher(invalidate: () => void): Projection {
  return cacheWatcher('config-watcher', (events) => {
    if (events.some((e) => e.streamId === CONFIG_STREAM_ID)) invalidate();
  });
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
