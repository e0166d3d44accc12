import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INestApplication } from '@nestjs/common';
import { parse } from 'csv-parse/sync';
import { createHttpApp } from '../../apps/ledger/src/create-http-app';
import type { CoreOptions } from '../../apps/ledger/src/core/core.module';
import { LedgerParts, partsOf } from '../support/ledger-parts';
import { LedgerSettings } from '../../apps/ledger/src/core/ledger-settings';
import { testSettings } from '../support/ledger-harness';
import { BulkTasks } from '../../apps/ledger/src/tasks/bulk-tasks';
import { createScratchDatabase, ScratchDatabase, testDatabaseUrl } from '@ledger/sql/test/test-database';

export type StoreKind = 'pglite' | 'postgres';

/** Where a ledger keeps its state across restarts within one test file. */
export interface LedgerHome {
  dataDir: string;
  databaseUrl: string | null;
  settings: LedgerSettings;
  remove(): Promise<void>;
}

export async function createHome(kind: StoreKind): Promise<LedgerHome> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ledger-tasks-'));
  let scratch: ScratchDatabase | null = null;
  if (kind === 'postgres') {
    scratch = await createScratchDatabase('ledger_tasks');
    await scratch.client.close();
  }
  const settings = testSettings(dataDir, scratch?.url ?? null);
  return {
    dataDir,
    databaseUrl: settings.databaseUrl,
    settings,
    async remove() {
      await scratch?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface RunningLedger {
  runtime: LedgerParts;
  app: INestApplication;
  tasks: BulkTasks;
  /** `csvStream` sends the CSV in pieces without a declared length (chunked). */
  call(method: string, path: string, options?: { key?: string; body?: unknown; csv?: string | Uint8Array; csvStream?: string }): Promise<{ status: number; headers: Headers; body: any }>;
  /** Stops the service and closes its stores; the home (data) stays for the next start. */
  stop(): Promise<void>;
}

/** The real service over a home, on a real socket. */
export async function startService(home: LedgerHome, options: Omit<CoreOptions, 'settings'> = {}): Promise<RunningLedger> {
  const app = await createHttpApp({ settings: home.settings, log: () => undefined, ...options });
  const runtime = partsOf(app);
  await app.listen(0, '127.0.0.1');
  const baseUrl = `http://127.0.0.1:${app.getHttpServer().address().port}`;
  return {
    runtime,
    app,
    tasks: app.get(BulkTasks),
    async call(method, path, options = {}) {
      const headers: Record<string, string> = { authorization: `Bearer ${options.key ?? home.settings.systemKey}` };
      let body: string | Uint8Array | ReadableStream<Uint8Array> | undefined;
      if (options.csvStream !== undefined) {
        headers['content-type'] = 'text/csv';
        body = piecesOf(options.csvStream);
      } else if (options.csv !== undefined) {
        headers['content-type'] = 'text/csv';
        body = options.csv;
      } else if (options.body !== undefined) {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(options.body);
      }
      const res = await fetch(`${baseUrl}${path}`, { method, headers, body, duplex: 'half' });
      const text = await res.text();
      let parsed: any = text;
      try {
        parsed = text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text;
      } catch {
        // leave as text
      }
      return { status: res.status, headers: res.headers, body: parsed };
    },
    async stop() {
      await app.close();
    },
  };
}

export const postgresAvailable = (): boolean => !!testDatabaseUrl;

/**
 * Polls the task until it has finished (or the deadline passes), then waits until every read
 * model holds what it wrote (on PostgreSQL inventory commits apart from the tasks read model).
 */
export async function waitForTask(ledger: RunningLedger, id: string, key?: string, timeoutMs = 60_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await ledger.call('GET', `/v1/tasks/${id}`, { key });
    if (['success', 'partial', 'failure'].includes(r.body?.status)) {
      if (!(await ledger.runtime.projector.reachHead())) throw new Error('the projector stopped');
      return r.body;
    }
    if (Date.now() > deadline) throw new Error(`task ${id} did not finish: ${JSON.stringify(r.body)}`);
    await new Promise((res) => setTimeout(res, 50));
  }
}

/** Parses the simple CSV the tasks write (quoted cells allowed). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = parse(text, { relax_column_count: true });
  return rows;
}

function piecesOf(text: string): ReadableStream<Uint8Array> {
  const bytes = Buffer.from(text, 'utf8');
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.subarray(at, at + 16 * 1024));
      at += 16 * 1024;
    },
  });
}

/**
 * Makes the `nth` task checkpoint fail as if the process died right after the chunk's
 * events were committed; resolves when it has.
 */
export function crashAtCheckpoint(ledger: RunningLedger, nth: number): Promise<void> {
  const journal = ledger.tasks.journal;
  const original = journal.progress.bind(journal);
  let calls = 0;
  return new Promise((resolve) => {
    journal.progress = async (...args) => {
      if (++calls < nth) return original(...args);
      resolve();
      throw new Error('simulated crash');
    };
  });
}
