import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { Client } from 'pg';
import { ProjectionFailedError } from '@ledger/projections/projection-failure';
import { Benchmark } from './bench-kit';
import { serviceNodeArgs } from './service-process';

/**
 * CSV import of N new numbers (1,000,000 at scale 1) through the bulk task, until the
 * events are appended AND the inventory read model has caught up with them; beside a
 * raw multi-row INSERT of the same event rows into a copy of the events table, same run,
 * same server. The import runs in a child process so its peak RSS is its own.
 */
const bench: Benchmark = async (ctx) => {
  const rows = Math.max(10_000, Math.round(1_000_000 * ctx.scale));
  const url = await ctx.scratchDatabase('import');
  const work = mkdtempSync(join(tmpdir(), 'import-bench-'));
  try {
    const imported = await runWorker(url, work, rows);
    ctx.log(`import: ${rows} rows in ${imported.seconds.toFixed(1)} s (append done after ${imported.appendSeconds.toFixed(1)} s), peak RSS ${imported.maxRssMb.toFixed(0)} MB`);
    const raw = await rawMultiRowInsert(url, rows);
    ctx.log(`raw multi-row INSERT: ${rows} event rows in ${raw.seconds.toFixed(1)} s`);
    const value = rows / imported.seconds;
    const reference = rows / raw.seconds;
    const ratio = value / reference;
    return {
      benchmark: `CSV import of ${rows.toLocaleString('en')} new numbers (PostgreSQL)`,
      figures: [{
        name: 'CSV import to events + up-to-date inventory',
        value,
        unit: 'numbers/s',
        reference: { name: 'raw multi-row INSERT of the same event rows (1,000 rows per statement)', value: reference },
        ratio,
        target: '>= 50,000 numbers/s and >= 30% of raw, bounded memory',
        met: value >= 50_000 && ratio >= 0.3,
        extra: {
          rows,
          seconds: imported.seconds,
          append_only_per_s: rows / imported.appendSeconds,
          peak_rss_mb: Math.round(imported.maxRssMb),
          input_mb: Math.round(imported.inputBytes / 1e6),
          log_tree_leaves_per_s: imported.treeLeaves / imported.seconds,
        },
      }],
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
};

export default bench;

interface WorkerResult {
  seconds: number;
  appendSeconds: number;
  maxRssMb: number;
  inputBytes: number;
  /** Leaves of the log tree once the projections caught up (it follows the log with them). */
  treeLeaves: number;
}

function runWorker(url: string, dir: string, rows: number): Promise<WorkerResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...serviceNodeArgs(), __filename], {
      env: { ...process.env, IMPORT_BENCH_WORKER: '1', DATABASE_URL: url, LEDGER_DATA_DIR: dir, IMPORT_BENCH_ROWS: String(rows), EVENTSTORE_URL: '' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('exit', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      if (code === 0) resolve(JSON.parse(line) as WorkerResult);
      else reject(new Error(`import worker exited with ${code}: ${out}`));
    });
  });
}

/** Child process: the service's modules (projector following, no HTTP), the import task, then wait for the inventory. */
async function worker(): Promise<void> {
  await import('reflect-metadata');
  const { NestFactory } = await import('@nestjs/core');
  const { LedgerModule } = await import('../apps/ledger/src/ledger.module');
  const { settingsFromEnv } = await import('../apps/ledger/src/core/ledger-settings');
  const { STORES } = await import('../apps/ledger/src/core/tokens');
  const { BulkTasks } = await import('../apps/ledger/src/tasks/bulk-tasks');
  const { VerifiableLog } = await import('../apps/ledger/src/log/verifiable-log');
  const { Projector } = await import('@ledger/projections/projector');
  const rows = Number(process.env.IMPORT_BENCH_ROWS);
  const file = join(process.env.LEDGER_DATA_DIR!, 'numbers.csv');
  const inputBytes = await writeNumbers(file, rows);
  const app = await NestFactory.createApplicationContext(LedgerModule.forRoot({ settings: settingsFromEnv(), log: () => undefined }), { logger: false, abortOnError: false });
  const { sql } = app.get<import('../apps/ledger/src/core/open-stores').LedgerStores>(STORES);
  const projector = app.get(Projector);
  const tasks = app.get(BulkTasks);
  const started = performance.now();
  const { state } = await tasks.submit('import', { accountId: 'system', isSystem: true }, createReadStream(file), false);
  await tasks.run(state.id);
  const appendSeconds = (performance.now() - started) / 1000;
  const final = await tasks.journal.load(state.id);
  if (final?.status !== 'success' || final.succeeded !== rows) throw new Error(`import ended ${JSON.stringify(final)}`);
  // Not headPosition(): that is the safe resume point, held back while the projector's own
  // transaction is open. Every append has committed by now, so the last event is the target.
  const last = await sql.query<{ position: string }>(
    `SELECT tx_id::text || ':' || sequence AS position FROM ledger_events ORDER BY tx_id DESC, sequence DESC LIMIT 1`,
  );
  while (!(await projector.waitFor(last.rows[0].position, 60_000))) if (projector.failure) throw new ProjectionFailedError(projector.failures);
  const seconds = (performance.now() - started) / 1000;
  const inventory = await sql.query<{ n: number }>(`SELECT count(*) AS n FROM inventory`);
  const treeLeaves = (await app.get(VerifiableLog).store.head()).size;
  if (Number(inventory.rows[0].n) !== rows) throw new Error(`inventory has ${inventory.rows[0].n} rows, expected ${rows}`);
  await app.close();
  process.stdout.write(`${JSON.stringify({ seconds, appendSeconds, maxRssMb: process.resourceUsage().maxRSS / 1024, inputBytes, treeLeaves })}\n`);
}

async function writeNumbers(file: string, rows: number): Promise<number> {
  const out = createWriteStream(file);
  let bytes = 0;
  const write = async (s: string) => {
    bytes += s.length;
    if (!out.write(s)) await once(out, 'drain');
  };
  await write('e164,carrier_module\n');
  let chunk = '';
  for (let i = 0; i < rows; i++) {
    chunk += `+1${String(2_002_000_000 + i)},knm_inventory\n`;
    if (chunk.length > 64_000) {
      await write(chunk);
      chunk = '';
    }
  }
  await write(chunk);
  out.end();
  await once(out, 'finish');
  return bytes;
}

/** The machine's raw limit: the same number of event rows, 1,000 per INSERT statement, one connection. */
async function rawMultiRowInsert(url: string, rows: number): Promise<{ seconds: number }> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('CREATE TABLE raw_events (LIKE ledger_events INCLUDING ALL)');
    const sample = (await client.query<{ type: string; data: Record<string, unknown>; metadata: unknown }>(`SELECT type, data, metadata FROM ledger_events WHERE stream_id LIKE 'number-%' LIMIT 1`)).rows[0];
    const per = 1000;
    const started = performance.now();
    for (let from = 0; from < rows; from += per) {
      const n = Math.min(per, rows - from);
      const values: string[] = [];
      const params: unknown[] = [];
      for (let i = 0; i < n; i++) {
        const number = `+1${3_002_000_000 + from + i}`;
        const p = params.length;
        values.push(`($${p + 1}, 0, $${p + 2}, $${p + 3}, $${p + 4}, $${p + 5})`);
        params.push(`number-${number}`, randomUUID(), sample.type, JSON.stringify({ ...sample.data, number }), JSON.stringify(sample.metadata));
      }
      await client.query(`INSERT INTO raw_events (stream_id, revision, event_id, type, data, metadata) VALUES ${values.join(', ')}`, params);
    }
    return { seconds: (performance.now() - started) / 1000 };
  } finally {
    await client.end();
  }
}

if (require.main === module && process.env.IMPORT_BENCH_WORKER) {
  worker().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
