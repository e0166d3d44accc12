import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INestApplication } from '@nestjs/common';
import { createHttpApp } from '../../apps/ledger/src/http/create-http-app';
import { LedgerRuntime } from '../../apps/ledger/src/ledger-runtime';
import { LedgerSettings, settingsFromEnv } from '../../apps/ledger/src/ledger-settings';
import { createScratchDatabase, ScratchDatabase } from '../../libs/sql/src/test-database';

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export interface LedgerHarness {
  baseUrl: string;
  systemKey: string;
  runtime: LedgerRuntime;
  call<T = any>(method: string, path: string, options?: { key?: string | null; body?: unknown; raw?: string; headers?: Record<string, string> }): Promise<ApiResponse<T>>;
  close(): Promise<void>;
}

export type StoreKind = 'pglite' | 'postgres';

/**
 * The real service on a real socket (port 0), over embedded PGlite in a temporary
 * directory or a fresh database on the PostgreSQL test server.
 */
export async function startLedger(kind: StoreKind, overrides: Partial<LedgerSettings> = {}): Promise<LedgerHarness> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ledger-test-'));
  let scratch: ScratchDatabase | null = null;
  if (kind === 'postgres') scratch = await createScratchDatabase('ledger_e2e');
  const settings: LedgerSettings = {
    ...settingsFromEnv({}),
    port: 0,
    host: '127.0.0.1',
    dataDir,
    databaseUrl: scratch?.url ?? null,
    systemKey: 'test-system-key',
    sweepIntervalMs: 0,
    bodyLimitBytes: 64 * 1024,
    ...overrides,
  };
  await scratch?.client.close();
  const runtime = await LedgerRuntime.create(settings, { log: () => undefined });
  const app: INestApplication = await createHttpApp(runtime);
  runtime.start();
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address();
  const baseUrl = `http://127.0.0.1:${address.port}`;
  return {
    baseUrl,
    systemKey: settings.systemKey!,
    runtime,
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
      await runtime.close();
      await scratch?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
