import { resolve } from 'node:path';

/** Runtime settings, from the environment (README "Configuration"). */
export interface LedgerSettings {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | null;
  eventstoreUrl: string | null;
  systemKey: string | null;
  sweepIntervalMs: number;
  logLevel: string;
  bodyLimitBytes: number;
  /** Under load the projector waits this long after a short batch, to apply fewer, larger ones. */
  projectionCoalesceMs: number;
  /** Append statements in flight at once; concurrent appends beyond it are grouped into one (group commit). */
  appendsInFlight: number;
  /** Schema of the read-model tables (tests and `verify` use others). */
  readModelSchema: string;
}

export function settingsFromEnv(env: NodeJS.ProcessEnv = process.env): LedgerSettings {
  return {
    port: Number(env.PORT ?? 3000),
    host: env.HOST ?? '0.0.0.0',
    dataDir: resolve(env.LEDGER_DATA_DIR ?? './data'),
    databaseUrl: env.DATABASE_URL || null,
    eventstoreUrl: env.EVENTSTORE_URL || null,
    systemKey: env.LEDGER_SYSTEM_KEY || null,
    sweepIntervalMs: Number(env.LEDGER_SWEEP_INTERVAL_MS ?? 60_000),
    logLevel: env.LOG_LEVEL ?? 'info',
    bodyLimitBytes: Number(env.LEDGER_BODY_LIMIT_BYTES ?? 1_048_576),
    readModelSchema: env.LEDGER_READ_MODEL_SCHEMA ?? 'public',
    projectionCoalesceMs: Number(env.LEDGER_PROJECTION_COALESCE_MS ?? 20),
    appendsInFlight: Number(env.LEDGER_APPENDS_IN_FLIGHT ?? 2),
  };
}
