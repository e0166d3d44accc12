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
  /** How often the log tree head is signed as a checkpoint when it has grown (0: only on demand). */
  checkpointIntervalMs: number;
  /** Ed25519 PKCS#8 PEM signing checkpoints; null: generated into the data directory. */
  logSigningKey: string | null;
  /** Origin line of checkpoints (and the key name); null: `<host>/numbers-ledger`. */
  logOrigin: string | null;
}

export function settingsFromEnv(env: NodeJS.ProcessEnv = process.env): LedgerSettings {
  return {
    port: wholeNumber(env, 'PORT', 3000, 0),
    host: env.HOST ?? '0.0.0.0',
    dataDir: resolve(env.LEDGER_DATA_DIR ?? './data'),
    databaseUrl: env.DATABASE_URL || null,
    eventstoreUrl: env.EVENTSTORE_URL || null,
    systemKey: env.LEDGER_SYSTEM_KEY || null,
    sweepIntervalMs: wholeNumber(env, 'LEDGER_SWEEP_INTERVAL_MS', 60_000, 0),
    logLevel: env.LOG_LEVEL ?? 'info',
    bodyLimitBytes: wholeNumber(env, 'LEDGER_BODY_LIMIT_BYTES', 1_048_576, 1),
    readModelSchema: env.LEDGER_READ_MODEL_SCHEMA ?? 'public',
    projectionCoalesceMs: wholeNumber(env, 'LEDGER_PROJECTION_COALESCE_MS', 20, 0),
    appendsInFlight: wholeNumber(env, 'LEDGER_APPENDS_IN_FLIGHT', 2, 1),
    checkpointIntervalMs: wholeNumber(env, 'LEDGER_CHECKPOINT_INTERVAL_MS', 60_000, 0),
    logSigningKey: env.LEDGER_LOG_SIGNING_KEY || null,
    logOrigin: logOrigin(env.LEDGER_LOG_ORIGIN),
  };
}

/** A whole-number setting; anything else stops the start with the variable's name (a typo must not run as NaN). */
function wholeNumber(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be a whole number of at least ${min}, not "${raw}"`);
  return value;
}

/** A checkpoint origin is also the note key name: one line, no spaces, no "+". */
function logOrigin(raw: string | undefined): string | null {
  if (raw === undefined || raw === '') return null;
  if (/[\s+]/.test(raw)) throw new Error(`LEDGER_LOG_ORIGIN must have no spaces or "+", not "${raw}"`);
  return raw;
}
