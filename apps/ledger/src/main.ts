import type { Server } from 'node:net';
import 'reflect-metadata';
import pino from 'pino';
import { createHttpApp } from './http/create-http-app';
import { grpcPortFromEnv, startGrpcServer } from './grpc/start-grpc-server';
import { PinoNestLogger } from './operations/pino-nest-logger';
import { LedgerRuntime } from './ledger-runtime';
import { settingsFromEnv } from './ledger-settings';
import { failureLine } from '@ledger/projections/projection-failure';
import { DataDirLockedError } from './stores/data-dir-lock';

async function main(): Promise<void> {
  const settings = settingsFromEnv();
  const log = pino({ level: settings.logLevel, redact: ['req.headers.authorization', 'key', 'credentials'] });
  const runtime = await LedgerRuntime.create(settings, {
    log: (m) => log.info(m),
    onProjectionFailure: (f) =>
      log.error({ projection: f.projection, position: f.position, eventId: f.eventId, type: f.type, streamId: f.streamId, error: f.error }, failureLine(f)),
  });
  runtime.carriers.logger = log.child({ component: 'carriers' });
  const app = await createHttpApp(runtime, new PinoNestLogger(log), log.child({ component: 'http' }));
  runtime.start();
  await app.listen(settings.port, settings.host);
  const url = localUrl((app.getHttpServer() as Server).address(), settings.host);
  runtime.stores.lock?.announce(url);
  await startGrpcServer(app, runtime, grpcPortFromEnv());
  log.info({ port: settings.port, url, grpcPort: grpcPortFromEnv(), stores: runtime.stores.describe, dataDir: settings.dataDir }, 'numbers-ledger listening');
  const shutdown = async (signal: string) => {
    log.info({ signal }, 'shutting down');
    await app.close();
    await runtime.close();
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
