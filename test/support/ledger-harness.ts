import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INestApplication } from '@nestjs/common';
import { createHttpApp } from '../../apps/ledger/src/create-http-app';
import { CarrierLogRelay, LedgerParts, partsOf } from './ledger-parts';
import { LedgerSettings, settingsFromEnv } from '../../apps/ledger/src/core/ledger-settings';
import { createScratchDatabase, ScratchDatabase } from '@ledger/sql/test/test-database';
import { startEsdbTestServer } from '@ledger/event-store/test/esdb-test-server';

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export interface LedgerHarness {
  baseUrl: string;
  systemKey: string;
  /** The app's providers the suites reach into. */
  runtime: LedgerParts;
  /** Where the carrier clients' log lines go from now on (silent by default). */
  carrierLogs: CarrierLogRelay;
  /** The EventStoreDB test server, for fault injection (esdb kind only). */
  esdb: { dropConnections(): void; goDown(): void; comeBack(): Promise<void> } | null;
  /** A token that changes whenever anything is appended (for "appends nothing" assertions). */
  appendedSoFar(): Promise<string>;
  /** Waits until every appended event is readable from the global log, then until the projector has applied it. */
  settled(): Promise<void>;
  call<T = any>(method: string, path: string, options?: { key?: string | null; body?: unknown; raw?: string; headers?: Record<string, string> }): Promise<ApiResponse<T>>;
  close(): Promise<void>;
}

/** `esdb`: events in EventStoreDB (the wire-level test server), read models in PostgreSQL. */
export type StoreKind = 'pglite' | 'postgres' | 'esdb';

/**
 * The real service on a real socket (port 0), over embedded PGlite in a temporary
 * directory or a fresh database on the PostgreSQL test server.
 */
/** A service for tests: loopback on a free port, a known system key, no timed sweeps. */
export function testSettings(dataDir: string, databaseUrl: string | null): LedgerSettings {
  return {
    ...settingsFromEnv({}),
    port: 0,
    host: '127.0.0.1',
    dataDir,
    databaseUrl,
    systemKey: 'test-system-key',
    sweepIntervalMs: 0,
    bodyLimitBytes: 64 * 1024,
    // suites that send many refused keys on purpose are not throttled; keys-scenarios tests the default budget
    authFailures: 1000,
    checkpointIntervalMs: 0,
  };
}

export async function startLedger(kind: StoreKind, overrides: Partial<LedgerSettings> = {}): Promise<LedgerHarness> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ledger-test-'));
  let scratch: ScratchDatabase | null = null;
  if (kind !== 'pglite' && !overrides.databaseUrl) scratch = await createScratchDatabase('ledger_e2e');
  const esdb = kind === 'esdb' ? await startEsdbTestServer() : null;
  const settings: LedgerSettings = {
    ...testSettings(dataDir, scratch?.url ?? null),
    eventstoreUrl: esdb?.url ?? null,
    ...overrides,
  };
  await scratch?.client.close();
  const carrierLogs = new CarrierLogRelay();
  const app: INestApplication = await createHttpApp({ settings, log: () => undefined, carrierLogger: carrierLogs });
  const runtime = partsOf(app);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address();
  const baseUrl = `http://127.0.0.1:${address.port}`;
  return {
    baseUrl,
    systemKey: settings.systemKey!,
    runtime,
    carrierLogs,
    esdb,
    async appendedSoFar() {
      // The SQL store's safe head may lag behind while other sessions on the server hold the horizon back.
      if (esdb) return runtime.stores.events.headPosition();
      const r = await runtime.stores.sql.query('SELECT count(*)::text AS n FROM ledger_events');
      return r.rows[0].n;
    },
    async settled() {
      // Everything committed so far, however long other sessions on the server hold the readable horizon back.
      if (!(await runtime.projector.reachHead())) throw new Error('the projector stopped before reaching the log\'s end');
    },
    async call(method, path, options = {}) {
      const headers: Record<string, string> = { ...(options.headers ?? {}) };
      const key = options.key === undefined ? settings.systemKey : options.key;
      if (key) headers.authorization = `Bearer ${key}`;
      let body: string | undefined = options.raw;
      if (options.body !== undefined) body = JSON.stringify(options.body);
      if (body !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
      const res = await fetch(`${baseUrl}${path}`, { method, headers, body });
      const text = await res.text();
      let parsed: any = text;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        // text bodies (CSV, metrics) stay text
      }
      return { status: res.status, headers: res.headers, body: parsed };
    },
    async close() {
      await app.close();
      await scratch?.drop();
      await esdb?.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
