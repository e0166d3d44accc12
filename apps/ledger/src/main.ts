import type { Server } from 'node:net';
import 'reflect-metadata';
import pino from 'pino';
import { createHttpApp } from './create-http-app';
import { startGrpcServer } from './grpc/start-grpc-server';
import { PinoNestLogger } from './operations/pino-nest-logger';
import { settingsFromEnv } from './core/ledger-settings';
import { STORES } from './core/tokens';
import { failureLine } from '@ledger/projections/projection-failure';
import { DataDirLockedError } from './core/data-dir-lock';
import type { LedgerStores } from './core/open-stores';

async function main(): Promise<void> {
  const settings = settingsFromEnv();
  const log = pino({ level: settings.logLevel, redact: ['req.headers.authorization', 'key', 'credentials'] });
  const app = await createHttpApp({
    settings,
    log: (m) => log.info(m),
    onProjectionFailure: (f) =>
      log.error({ projection: f.projection, position: f.position, eventId: f.eventId, type: f.type, streamId: f.streamId, error: f.error }, failureLine(f)),
    carrierLogger: log.child({ component: 'carriers' }),
  }, new PinoNestLogger(log), log.child({ component: 'http' }));
  await app.listen(settings.port, settings.host);
  const url = localUrl((app.getHttpServer() as Server).address(), settings.host);
  const stores = app.get<LedgerStores>(STORES);
  stores.lock?.announce(url);
  await startGrpcServer(app);
  log.info({ port: settings.port, url, grpcPort: settings.grpcPort, stores: stores.describe, dataDir: settings.dataDir }, 'numbers-ledger listening');
  const shutdown = async (signal: string) => {
    log.info({ signal }, 'shutting down');
    await app.close(); // the servers, then the ledger's background work, then the stores
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

/** Where a CLI on this machine reaches the service (recorded in the data directory's lock). */
function localUrl(address: unknown, host: string): string {
  const port = typeof address === 'object' && address && 'port' in address ? Number(address.port) : 0;
  const reachable = ['0.0.0.0', '::', ''].includes(host) ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return `http://${reachable}:${port}`;
}

main().catch((err) => {
  if (err instanceof DataDirLockedError) {
    console.error(`numbers-ledger: ${err.message}`);
    process.exit(err.exitCode);
  }
  console.error(err);
  process.exit(1);
});
