import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { cpus as cpuList, tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import { Client } from 'pg';
import { ProjectionFailedError } from '@ledger/projections/projection-failure';
import { backendCpuBetween, backendCpuMs, processCpuMs } from './backend-cpu';
import { Benchmark, BenchResult } from './bench-kit';
import { asWorker, runWorker } from './bench-worker';

/**
 * CSV import of N new numbers (1,000,000 at scale 1) through the bulk task, until the
 * events are appended AND the inventory read model has caught up with them; beside COPY
 * of the same event rows into a copy of the events table (same indexes), and a multi-row
 * jsonb_to_recordset INSERT of them, same run, same server. The import runs in a child process so its peak RSS is its own.
 * The same import into another database with the projector stopped measures the import's own
 * path (CSV to appended events) with its CPU per row, Node and PostgreSQL, beside the raw ones'.
 */
const bench: Benchmark = async (ctx) => {
  const rows = Math.max(10_000, Math.round(1_000_000 * ctx.scale));
  const url = await ctx.scratchDatabase('import');
  const work = mkdtempSync(join(tmpdir(), 'import-bench-'));
  const appendWork = mkdtempSync(join(tmpdir(), 'import-bench-'));
  try {
    const alone = await runWorker<WorkerResult>(__filename, {
      DATABASE_URL: await ctx.scratchDatabase('import_append'), LEDGER_DATA_DIR: appendWork, IMPORT_BENCH_ROWS: String(rows), IMPORT_BENCH_APPEND_ONLY: '1',
    });
    ctx.log(`import, projector stopped: ${rows} rows appended in ${alone.appendSeconds.toFixed(1)} s, ${perRow(alone.nodeCpuMs, rows)} µs Node + ${perRow(alone.postgresCpuMs, rows)} µs PostgreSQL CPU per row, peak RSS ${alone.maxRssMb.toFixed(0)} MB`);
    const imported = await runWorker<WorkerResult>(__filename, { DATABASE_URL: url, LEDGER_DATA_DIR: work, IMPORT_BENCH_ROWS: String(rows) });
    ctx.log(`import: ${rows} rows in ${imported.seconds.toFixed(1)} s (append done after ${imported.appendSeconds.toFixed(1)} s), peak RSS ${imported.maxRssMb.toFixed(0)} MB`);
    const copy = await rawCopy(url, rows);
    ctx.log(`raw COPY: ${rows} event rows in ${copy.seconds.toFixed(1)} s, ${perRow(copy.nodeCpuMs, rows)} µs Node + ${perRow(copy.postgresCpuMs, rows)} µs PostgreSQL CPU per row`);
    const json = await rawJsonInsert(url, rows);
    ctx.log(`raw multi-row INSERT (jsonb_to_recordset, 1,000 rows each): ${rows} event rows in ${json.seconds.toFixed(1)} s, ${perRow(json.nodeCpuMs, rows)} µs Node + ${perRow(json.postgresCpuMs, rows)} µs PostgreSQL CPU per row`);
    const value = rows / imported.seconds;
    const reference = rows / copy.seconds;
    const ratio = value / reference;
    const jsonRate = rows / json.seconds;
    const aloneRate = rows / alone.appendSeconds;
    const result: BenchResult = {
      benchmark: `CSV import of ${rows.toLocaleString('en')} new numbers (PostgreSQL)`,
      figures: [{
        name: 'CSV import to events + up-to-date inventory',
        value,
        unit: 'numbers/s',
        reference: { name: 'COPY of the same event rows into a table with the same indexes', value: reference },
        ratio,
        target: '>= 30% of COPY, bounded memory',
        met: ratio >= 0.3,
        extra: {
          json_insert_per_s: jsonRate,
          vs_json_insert: value / jsonRate,
          rows,
          seconds: imported.seconds,
          append_only_per_s: rows / imported.appendSeconds,
          append_only_vs_copy: rows / imported.appendSeconds / reference,
          projections_behind_after_append_s: imported.seconds - imported.appendSeconds,
          peak_rss_mb: Math.round(imported.maxRssMb),
          input_mb: Math.round(imported.inputBytes / 1e6),
          log_tree_leaves_per_s: imported.treeLeaves / imported.seconds,
          // What the whole import costs per number until every projection has it, and the rate 2 cores allow at that cost.
          ...cpuBound(imported, rows, reference),
        },
      }, {
        name: 'CSV import to appended events, projector stopped (the import\'s own path)',
        value: aloneRate,
        unit: 'numbers/s',
        reference: { name: 'COPY of the same event rows', value: reference },
        ratio: aloneRate / reference,
        extra: {
          vs_json_insert: aloneRate / jsonRate,
          node_cpu_us_per_row: perRow(alone.nodeCpuMs, rows),
          postgres_cpu_us_per_row: perRow(alone.postgresCpuMs, rows),
          copy_node_cpu_us_per_row: perRow(copy.nodeCpuMs, rows),
          copy_postgres_cpu_us_per_row: perRow(copy.postgresCpuMs, rows),
          json_insert_node_cpu_us_per_row: perRow(json.nodeCpuMs, rows),
          json_insert_postgres_cpu_us_per_row: perRow(json.postgresCpuMs, rows),
          peak_rss_mb: Math.round(alone.maxRssMb),
        },
      }, {
        name: 'raw multi-row INSERT of the same event rows (jsonb_to_recordset, 1,000 rows per statement)',
        value: jsonRate,
        unit: 'rows/s',
        reference: { name: 'COPY of the same event rows', value: reference },
        ratio: jsonRate / reference,
      }],
    };
    return result;
  } finally {
    rmSync(work, { recursive: true, force: true });
    rmSync(appendWork, { recursive: true, force: true });
  }
};

/**
 * CPU per number of the import with its projections (Node: the import and the projector thread;
 * PostgreSQL: the database's backends) and the most that 2 cores could do at that cost, beside COPY.
 */
function cpuBound(run: WorkerResult, rows: number, copyRate: number): Record<string, number | 'n/a'> {
  const node = perRow(run.caughtUpNodeCpuMs, rows);
  const postgres = perRow(run.caughtUpPostgresCpuMs, rows);
  if (node === 'n/a' || postgres === 'n/a') return { node_cpu_us_per_number: node, postgres_cpu_us_per_number: postgres };
  const bound = (cpuList().length * 1e6) / (node + postgres);
  return {
    node_cpu_us_per_number: node, postgres_cpu_us_per_number: postgres,
    cores_bound_per_s: Math.round(bound), best_ratio_on_this_machine: Math.round((bound / copyRate) * 1000) / 1000,
  };
}

/** µs of CPU per row, or 'n/a' when the server's CPU cannot be read from here. */
const perRow = (ms: number | null, rows: number): number | 'n/a' => (ms === null ? 'n/a' : Math.round((ms * 10_000) / rows) / 10);

export default bench;

interface WorkerResult {
  seconds: number;
  appendSeconds: number;
  maxRssMb: number;
  inputBytes: number;
  /** Leaves of the log tree once the projections caught up (it follows the log with them). */
  treeLeaves: number;
  /** CPU of the worker and of its database backends from submission until the import finished. */
  nodeCpuMs: number;
  postgresCpuMs: number | null;
  /** The same until the projections caught up too (the projector thread's CPU is the worker's). */
  caughtUpNodeCpuMs: number;
  caughtUpPostgresCpuMs: number | null;
}

/** What a raw reference took: its time, the bench process's CPU and its backend's. */
interface RawRun {
  seconds: number;
  nodeCpuMs: number;
  postgresCpuMs: number | null;
}

/**
 * Child process: the service's modules (projector following, no HTTP), the import task, then
 * wait for the inventory; with IMPORT_BENCH_APPEND_ONLY, no background work and no waiting.
 */
async function worker(): Promise<WorkerResult> {
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
  const appendOnly = process.env.IMPORT_BENCH_APPEND_ONLY === '1';
  const module = LedgerModule.forRoot({ settings: settingsFromEnv(), log: () => undefined, background: !appendOnly });
  const app = await NestFactory.createApplicationContext(module, { logger: false, abortOnError: false });
  const { sql } = app.get<import('../apps/ledger/src/core/open-stores').LedgerStores>(STORES);
  const projector = app.get(Projector);
  const tasks = app.get(BulkTasks);
  const backendsBefore = await backendCpuMs(sql);
  const cpu = process.cpuUsage();
  const started = performance.now();
  const { state } = await tasks.submit('import', { accountId: 'system', isSystem: true }, createReadStream(file), false);
  await tasks.run(state.id);
  const appendSeconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const nodeCpuMs = (used.user + used.system) / 1000;
  const postgresCpuMs = backendCpuBetween(backendsBefore, await backendCpuMs(sql));
  const final = await tasks.journal.load(state.id);
  if (final?.status !== 'success' || final.succeeded !== rows) throw new Error(`import ended ${JSON.stringify(final)}`);
  const maxRssMb = () => process.resourceUsage().maxRSS / 1024;
  if (appendOnly) {
    const events = await sql.query<{ n: number }>(`SELECT count(*) AS n FROM ledger_events WHERE stream_id LIKE 'number-%'`);
    if (Number(events.rows[0].n) !== rows) throw new Error(`${events.rows[0].n} number events, expected ${rows}`);
    await app.close();
    return { seconds: appendSeconds, appendSeconds, maxRssMb: maxRssMb(), inputBytes, treeLeaves: 0, nodeCpuMs, postgresCpuMs, caughtUpNodeCpuMs: nodeCpuMs, caughtUpPostgresCpuMs: postgresCpuMs };
  }
  // Not headPosition(): that is the safe resume point, held back while the projector's own
  // transaction is open. Every append has committed by now, so the last event is the target.
  const last = await sql.query<{ position: string }>(
    `SELECT tx_id::text || ':' || sequence AS position FROM ledger_events ORDER BY tx_id DESC, sequence DESC LIMIT 1`,
  );
  while (!(await projector.waitFor(last.rows[0].position, 60_000))) if (projector.failure) throw new ProjectionFailedError(projector.failures);
  const seconds = (performance.now() - started) / 1000;
  const caughtUp = process.cpuUsage(cpu);
  const caughtUpPostgresCpuMs = backendCpuBetween(backendsBefore, await backendCpuMs(sql));
  const inventory = await sql.query<{ n: number }>(`SELECT count(*) AS n FROM inventory`);
  const treeLeaves = (await app.get(VerifiableLog).store.head()).size;
  if (Number(inventory.rows[0].n) !== rows) throw new Error(`inventory has ${inventory.rows[0].n} rows, expected ${rows}`);
  await app.close();
  return {
    seconds, appendSeconds, maxRssMb: maxRssMb(), inputBytes, treeLeaves, nodeCpuMs, postgresCpuMs,
    caughtUpNodeCpuMs: (caughtUp.user + caughtUp.system) / 1000, caughtUpPostgresCpuMs,
  };
}

/** Runs a raw reference on its own connection, measuring its time and CPU (this process's and its backend's). */
async function rawRun(url: string, work: (client: Client) => Promise<void>): Promise<RawRun> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { processID } = client as unknown as { processID: number };
    const backendBefore = processCpuMs(processID);
    const cpu = process.cpuUsage();
    const started = performance.now();
    await work(client);
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    const backendAfter = processCpuMs(processID);
    const postgresCpuMs = backendBefore === null || backendAfter === null ? null : backendAfter - backendBefore;
    return { seconds, nodeCpuMs: (used.user + used.system) / 1000, postgresCpuMs };
  } finally {
    await client.end();
  }
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

type EventRow = [streamId: string, eventId: string, type: string, data: string, metadata: string];

/** The event rows of the raw references: one per number, shaped like the import's own event. */
async function eventRows(client: Client, base: number): Promise<(i: number) => EventRow> {
  const sample = (await client.query<{ type: string; data: object; metadata: object }>(
    `SELECT type, data, metadata FROM ledger_events WHERE stream_id LIKE 'number-%' LIMIT 1`,
  )).rows[0];
  const metadata = JSON.stringify(sample.metadata);
  return (i) => {
    const number = `+1${base + i}`;
    return [`number-${number}`, randomUUID(), sample.type, JSON.stringify({ ...sample.data, number }), metadata];
  };
}

/** A fresh copy of the events table: same columns, defaults, keys and indexes. */
async function rawTable(client: Client, name: string): Promise<void> {
  await client.query(`CREATE TABLE ${name} (LIKE ledger_events INCLUDING ALL)`);
}

/** The machine's limit: COPY of the same event rows, one stream, one connection, one transaction. */
async function rawCopy(url: string, rows: number): Promise<RawRun> {
  await withClient(url, (client) => rawTable(client, 'raw_copy_events'));
  return rawRun(url, async (client) => {
    const row = await eventRows(client, 3_002_000_000);
    const copy = client.query(copyFrom('COPY raw_copy_events (stream_id, revision, event_id, type, data, metadata) FROM STDIN (FORMAT text)'));
    const lines = Readable.from((function* () {
      for (let from = 0; from < rows; from += 1000) {
        let text = '';
        for (let i = from; i < Math.min(rows, from + 1000); i++) {
          const [stream, id, type, data, metadata] = row(i);
          text += `${stream}\t0\t${id}\t${type}\t${copyText(data)}\t${copyText(metadata)}\n`;
        }
        yield text;
      }
    })());
    await pipeline(lines, copy);
  });
}

/** Backslashes are COPY's escape character in text format (JSON has no tabs or newlines unescaped). */
const copyText = (s: string) => s.replace(/\\/g, '\\\\');

/** The same rows as multi-row INSERTs of 1,000 rows from one JSON parameter (jsonb_to_recordset). */
async function rawJsonInsert(url: string, rows: number): Promise<RawRun> {
  await withClient(url, (client) => rawTable(client, 'raw_json_events'));
  return rawRun(url, async (client) => {
    const row = await eventRows(client, 4_002_000_000);
    for (let from = 0; from < rows; from += 1000) {
      const batch: object[] = [];
      for (let i = from; i < Math.min(rows, from + 1000); i++) {
        const [stream_id, id, type, data, metadata] = row(i);
        batch.push({ stream_id, id, type, data: JSON.parse(data) as object, metadata: JSON.parse(metadata) as object });
      }
      await client.query(
        `INSERT INTO raw_json_events (stream_id, revision, event_id, type, data, metadata)
         SELECT stream_id, 0, id, type, data, metadata
         FROM jsonb_to_recordset($1::text::jsonb) AS e(stream_id text, id uuid, type text, data jsonb, metadata jsonb)`,
        [JSON.stringify(batch)],
      );
    }
  });
}

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

asWorker(module, worker);
