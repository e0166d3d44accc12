import { resolve } from 'node:path';

export const DEFAULT_GRPC_PORT = 50051;

/** Runtime settings, from the environment (README "Configuration"). */
export interface LedgerSettings {
  port: number;
  /** gRPC port (same host, same handlers as HTTP). */
  grpcPort: number;
  host: string;
  dataDir: string;
  databaseUrl: string | null;
  eventstoreUrl: string | null;
  systemKey: string | null;
  /** Accepted beside the system key while clients move to a new one (rotation). */
  previousSystemKey: string | null;
  /** The operator's key that seals carrier credentials' data keys (docs/secrets.md); generated into the data directory when unset. */
  secretsKey: string | null;
  /** Accepted beside secretsKey during a rotation: data keys sealed under it are re-sealed at start. */
  previousSecretsKey: string | null;
  sweepIntervalMs: number;
  logLevel: string;
  bodyLimitBytes: number;
  /** Largest CSV a task accepts over HTTP (413 above it). */
  taskUploadLimitBytes: number;
  /** Under load the projector waits this long after a short batch, to apply fewer, larger ones. */
  projectionCoalesceMs: number;
  /** Apply the log in a worker thread of its own (PostgreSQL, the service): the HTTP load's event loop does not delay it. */
  projectorThread: boolean;
  /** Append statements in flight at once; concurrent appends beyond it are grouped into one (group commit). */
  appendsInFlight: number;
  /** Schema of the read-model tables (tests and `verify` use others). */
  readModelSchema: string;
  /** How long an Idempotency-Key claim lives without its owner renewing it (a dead owner's claim then expires). */
  idempotencyLeaseMs: number;
  /** Tests only (LEDGER_TEST_IDEMPOTENCY_PAUSE=claimed:KEY,committed:KEY): hold a keyed request at that stage, so a kill lands in flight. */
  testIdempotencyPause: string | null;
  /** Failed authentications one client may make per window before it gets 429 (SPEC 12). */
  authFailures: number;
  authFailureWindowSeconds: number;
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
    grpcPort: wholeNumber(env, 'GRPC_PORT', DEFAULT_GRPC_PORT, 0),
    host: env.HOST ?? '0.0.0.0',
    dataDir: resolve(env.LEDGER_DATA_DIR ?? './data'),
    databaseUrl: env.DATABASE_URL || null,
    eventstoreUrl: env.EVENTSTORE_URL || null,
    systemKey: env.LEDGER_SYSTEM_KEY || null,
    previousSystemKey: env.LEDGER_SYSTEM_KEY_PREVIOUS || null,
    secretsKey: env.LEDGER_SECRETS_KEY || null,
    previousSecretsKey: env.LEDGER_SECRETS_KEY_PREVIOUS || null,
    sweepIntervalMs: wholeNumber(env, 'LEDGER_SWEEP_INTERVAL_MS', 60_000, 0),
    logLevel: env.LOG_LEVEL ?? 'info',
    bodyLimitBytes: wholeNumber(env, 'LEDGER_BODY_LIMIT_BYTES', 1_048_576, 1),
    taskUploadLimitBytes: wholeNumber(env, 'LEDGER_TASK_UPLOAD_LIMIT_BYTES', 10 * 1_048_576, 1),
    readModelSchema: env.LEDGER_READ_MODEL_SCHEMA ?? 'public',
    projectionCoalesceMs: wholeNumber(env, 'LEDGER_PROJECTION_COALESCE_MS', 20, 0),
    projectorThread: wholeNumber(env, 'LEDGER_PROJECTOR_THREAD', 1, 0) > 0,
    appendsInFlight: wholeNumber(env, 'LEDGER_APPENDS_IN_FLIGHT', 2, 1),
    idempotencyLeaseMs: wholeNumber(env, 'LEDGER_IDEMPOTENCY_LEASE_MS', 10_000, 100),
    testIdempotencyPause: env.LEDGER_TEST_IDEMPOTENCY_PAUSE || null,
    authFailures: wholeNumber(env, 'LEDGER_AUTH_FAILURES', 10, 1),
    authFailureWindowSeconds: wholeNumber(env, 'LEDGER_AUTH_FAILURE_WINDOW_SECONDS', 60, 1),
    checkpointIntervalMs: wholeNumber(env, 'LEDGER_CHECKPOINT_INTERVAL_MS', 60_000, 0),
    logSigningKey: env.LEDGER_LOG_SIGNING_KEY || null,
    logOrigin: logOrigin(env.LEDGER_LOG_ORIGIN),
  };
}

/** A whole-number setting; anything else stops the start with the variable's name (a typo must not run as NaN). */
export function wholeNumber(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
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
