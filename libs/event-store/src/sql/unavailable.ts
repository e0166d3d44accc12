import { EventStoreUnavailableError } from '../port';

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);
// 08xxx connection exceptions, 57P0x operator intervention (shutdown, crash), 53300 too many connections.
const SQLSTATE_UNAVAILABLE = /^(08...|57P0.|53300)$/;
const MESSAGES = /Connection terminated|Cannot use a pool after calling end|timeout exceeded when trying to connect|PGlite is clos/i;

interface ErrorLike {
  code?: unknown;
  message?: unknown;
  errors?: unknown;
}

// Duck-typed: socket errors come from another realm under Jest, where `instanceof Error` fails.
export function isUnavailable(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { code, message, errors } = err as ErrorLike;
  if (NETWORK_CODES.has(String(code)) || SQLSTATE_UNAVAILABLE.test(String(code))) return true;
  if (typeof message === 'string' && MESSAGES.test(message)) return true;
  return Array.isArray(errors) && errors.some(isUnavailable);
}

/** Runs `work`, turning "cannot reach the database" failures into `EventStoreUnavailableError`. */
export async function whileReachable<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (isUnavailable(err)) throw new EventStoreUnavailableError(`event store unavailable: ${String((err as ErrorLike).message)}`, err);
    throw err;
  }
}
