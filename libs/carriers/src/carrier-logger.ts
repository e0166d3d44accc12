/** The slice of a pino logger the clients use; everything passed is already scrubbed. */
export interface CarrierLogger {
  debug(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
}

export const silentLogger: CarrierLogger = { debug: () => undefined, warn: () => undefined };
