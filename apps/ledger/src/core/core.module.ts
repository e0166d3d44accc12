import { DynamicModule, Global, Module } from '@nestjs/common';
import { silentLogger, type CarrierLogger } from '@ledger/carriers';
import { Projector } from '@ledger/projections/projector';
import type { Projection } from '@ledger/projections/projection';
import { failureLine, type ProjectionFailure } from '@ledger/projections/projection-failure';
import { LEDGER_UPCASTERS, type Upcasters } from '@ledger/projections/upcasters';
import { openStores, type LedgerStores } from './open-stores';
import { EVENTS, SQL, CARRIER_LOGGER, CORE_OPTIONS, LOG, OPERATOR_KEY, SETTINGS, STORES, SYSTEM_KEY, type LogLine } from './tokens';
import { CacheWatchers, WATCHERS } from './cache-watchers';
import { LedgerMetrics } from './ledger-metrics';
import type { LedgerSettings } from './ledger-settings';
import { loadOperatorKey } from './operator-key';
import { loadSystemKey } from './system-key';
import { ProjectorThread } from './projector-thread';
import { readModelProjections, FIRST_LANES } from './read-models';

/** What main.ts, the CLI, the tests and the bench choose when they build the ledger. */
export interface CoreOptions {
  settings: LedgerSettings;
  /** One line of the service's log (default: console.log). */
  log?: LogLine;
  /** Told once per projection that stops at an event it cannot apply (default: one line to `log`). */
  onProjectionFailure?: (failure: ProjectionFailure) => void;
  /** Upcasters beside LEDGER_UPCASTERS (docs/projections.md). */
  upcasters?: Upcasters;
  /** Projections beside the read models of libs/projections (the log tree; tests add their own). */
  projections?: Projection[];
  /** Where carrier clients log (default: nowhere). */
  carrierLogger?: CarrierLogger;
  /** The compiled entry of the projector thread (projector-worker.ts); unset: the projector follows in this thread. */
  projectorThread?: string;
}

/**
 * What every area stands on: the settings, the stores (opened here, closed by the
 * ledger's lifecycle), the projector with the read models, the metrics, the keys.
 */
@Global()
@Module({})
export class CoreModule {
  static forRoot(options: CoreOptions): DynamicModule {
    const log: LogLine = options.log ?? ((m) => console.log(m));
    return {
      module: CoreModule,
      providers: [
        { provide: CORE_OPTIONS, useValue: options },
        { provide: SETTINGS, useValue: options.settings },
        { provide: LOG, useValue: log },
        { provide: CARRIER_LOGGER, useValue: options.carrierLogger ?? silentLogger },
        { provide: STORES, useFactory: () => openStores(options.settings) },
        { provide: SQL, useFactory: (stores: LedgerStores) => stores.sql, inject: [STORES] },
        { provide: EVENTS, useFactory: (stores: LedgerStores) => stores.events, inject: [STORES] },
        // After the stores: a second process on a locked directory stops there, before any key is made.
        { provide: SYSTEM_KEY, useFactory: () => loadSystemKey(options.settings.systemKey, options.settings.dataDir, log), inject: [STORES] },
        { provide: OPERATOR_KEY, useFactory: () => loadOperatorKey(options.settings.secretsKey, options.settings.dataDir, log), inject: [STORES, SYSTEM_KEY] },
        { provide: LedgerMetrics, useFactory: () => new LedgerMetrics() },
        CacheWatchers,
        {
          provide: Projector,
          useFactory: (stores: LedgerStores, watchers: CacheWatchers) => projectorFor(stores, watchers, options, log),
          inject: [STORES, CacheWatchers],
        },
      ],
      exports: [
        CORE_OPTIONS, SETTINGS, LOG, CARRIER_LOGGER, STORES, SQL, EVENTS, SYSTEM_KEY, OPERATOR_KEY,
        LedgerMetrics, CacheWatchers, Projector,
      ],
    };
  }
}

function projectorFor(stores: LedgerStores, watchers: CacheWatchers, options: CoreOptions, log: LogLine): Projector {
  return new Projector(stores.events, stores.sql, [
    ...readModelProjections((events) => watchers.notify(WATCHERS.accounts, events)),
    watchers.projection(WATCHERS.config),
    watchers.projection(WATCHERS.carrierSettings),
    ...(options.projections ?? []),
  ], {
    schema: options.settings.readModelSchema,
    upcasters: { ...LEDGER_UPCASTERS, ...options.upcasters },
    // On PostgreSQL the lanes' transactions run side by side; PGlite's one session would only take them in turn.
    firstLanes: options.settings.databaseUrl ? FIRST_LANES : undefined,
    onFailure: options.onProjectionFailure ?? ((f) => log(failureLine(f))),
    follower: projectorThreadFor(stores, options, log),
  });
}

/**
 * The service on PostgreSQL applies the log in a worker thread (see ProjectorThread) when
 * the root names the thread's entry (LedgerModule does when every projection is one the
 * thread builds too) and LEDGER_PROJECTOR_THREAD is not off.
 */
function projectorThreadFor(stores: LedgerStores, options: CoreOptions, log: LogLine): ProjectorThread | undefined {
  const { settings } = options;
  if (!options.projectorThread || !settings.projectorThread || !settings.databaseUrl || settings.eventstoreUrl) return undefined;
  return new ProjectorThread(options.projectorThread, {
    databaseUrl: settings.databaseUrl, schema: settings.readModelSchema, coalesceMs: settings.projectionCoalesceMs,
  }, stores.sql, log);
}
