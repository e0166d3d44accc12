import { mkdtempSync, rmSync } from 'node:fs';
import { AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INestApplication } from '@nestjs/common';
import { LedgerGrpcClient } from '../../apps/ledger/src/grpc/ledger-grpc-client';
import { startGrpcServer } from '../../apps/ledger/src/grpc/start-grpc-server';
import { createHttpApp } from '../../apps/ledger/src/create-http-app';
import { LedgerParts, partsOf } from '../support/ledger-parts';
import { LedgerSettings, settingsFromEnv } from '../../apps/ledger/src/core/ledger-settings';
import { createScratchDatabase, ScratchDatabase } from '@ledger/sql/test/test-database';

export interface GrpcLedger {
  runtime: LedgerParts;
  systemKey: string;
  grpc: LedgerGrpcClient;
  /** host:port of the gRPC server. */
  address: string;
  /** The HTTP entry of the same app. */
  baseUrl: string;
  /** http://host:port of the same app. */
  httpBase: string;
  /** GET over HTTP on the same app, to check both entries see the same ledger. */
  httpGet(path: string, key: string): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

/** A free TCP port (Nest does not report the port a gRPC server bound to port 0). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = (probe.address() as AddressInfo);
      probe.close(() => resolve(port));
    });
  });
}

/**
 * The real service as main.ts runs it (one app, HTTP and gRPC on their own
 * sockets) over embedded PGlite or a fresh PostgreSQL database, with a gRPC client.
 */
export async function startGrpcLedger(kind: 'pglite' | 'postgres' = 'pglite'): Promise<GrpcLedger> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ledger-grpc-test-'));
  let scratch: ScratchDatabase | null = null;
  if (kind === 'postgres') scratch = await createScratchDatabase('ledger_grpc');
  const settings: LedgerSettings = {
    ...settingsFromEnv({}),
    port: 0, host: '127.0.0.1', dataDir, databaseUrl: scratch?.url ?? null,
    systemKey: 'test-system-key', sweepIntervalMs: 0,
  };
  await scratch?.client.close();
  const app: INestApplication = await createHttpApp({ settings, log: () => undefined });
  const runtime = partsOf(app);
  await app.listen(0, '127.0.0.1');
  const port = await freePort();
  await startGrpcServer(app, port, '127.0.0.1');
  const address = `127.0.0.1:${port}`;
  const grpc = new LedgerGrpcClient(address);
  const httpBase = `http://127.0.0.1:${app.getHttpServer().address().port}`;
  return {
    runtime, systemKey: settings.systemKey!, grpc, address, baseUrl: httpBase, httpBase,
    async httpGet(path, key) {
      const res = await fetch(`${httpBase}${path}`, { headers: { authorization: `Bearer ${key}` } });
      return { status: res.status, body: await res.json() };
    },
    async close() {
      grpc.close();
      await app.close();
      await scratch?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
