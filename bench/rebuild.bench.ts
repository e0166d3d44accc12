import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { SqlExecutor } from '@ledger/sql/sql-client';
import { EVENT_COLUMNS, FROM_EVENTS } from '@ledger/event-store/sql/recorded-event-row';
import { REPLAY_NODE_FLAGS } from '@ledger/projections/replay-heap';
import { Benchmark } from './bench-kit';
import { asWorker, runWorker } from './bench-worker';
import { inventoryStates, NumberLog, sameStates, seedNumberLog } from './number-log';
import { backendCpuMs } from './backend-cpu';

/** Events per read, as the projector's catch-up reads them. */
const READ_BATCH = 5000;

/**
 * Projection rebuild from zero (what `ledger rebuild-projections` does: reset, then catch up)
 * of a log of N events (1,000,000 at scale 1: 800,000 numbers added, a quarter of them
 * acquired later), on PostgreSQL, in a worker process; beside a plain ordered read of the
 * same log through `pg` (keyset pages of 5,000, the columns the store reads), same run.
 */
const bench: Benchmark = async (ctx) => {
  const numbers = Math.max(8_000, Math.round(800_000 * ctx.scale));
  const url = await ctx.scratchDatabase('rebuild');
  const seeded = performance.now();
  const log = await seedNumberLog(url, { numbers, acquiredLater: true });
  ctx.log(`seeded ${log.events} events in ${((performance.now() - seeded) / 1000).toFixed(1)} s`);
  await checkpointsAtHead(url);
  const read = await plainOrderedRead(url);
  ctx.log(`plain ordered read: ${read.events} events in ${read.seconds.toFixed(1)} s`);
  // With the young generation `ledger rebuild-projections` runs with.
  const rebuilt = await runWorker<RebuildResult>(__filename, { DATABASE_URL: url, LEDGER_DATA_DIR: '' }, REPLAY_NODE_FLAGS);
  ctx.log(`rebuild: ${rebuilt.applied} events in ${rebuilt.seconds.toFixed(1)} s, peak RSS ${rebuilt.maxRssMb.toFixed(0)} MB`);
  const correct = await check(url, log, rebuilt);
  const value = rebuilt.applied / rebuilt.seconds;
  const reference = read.events / read.seconds;
  return {
    benchmark: `Projection rebuild from zero of ${rebuilt.applied.toLocaleString('en')} events (PostgreSQL)`,
    figures: [{
      name: 'ledger rebuild-projections (reset + catch-up, every projection)',
      value,
      unit: 'events/s',
      reference: { name: `plain ordered read of the same log through pg (pages of ${READ_BATCH})`, value: reference },
      ratio: value / reference,
      target: '>= 30,000 events/s',
      met: value >= 30_000 && correct,
      extra: {
        events: rebuilt.applied, seconds: rebuilt.seconds, peak_rss_mb: Math.round(rebuilt.maxRssMb), read_models_as_expected: String(correct),
        // CPU per event: the worker (Node) and its PostgreSQL backends; with 2 cores, 2e6 / (sum) µs is the ceiling in events/s.
        worker_cpu_us_per_event: (rebuilt.workerCpuMs * 1000) / rebuilt.applied,
        postgres_cpu_us_per_event: rebuilt.postgresCpuMs === null ? 'n/a' : (rebuilt.postgresCpuMs * 1000) / rebuilt.applied,
        read_cpu_us_per_event: (read.cpuMs * 1000) / read.events,
        ...floorFigures(rebuilt),
      },
    }],
  };
};

export default bench;

/**
 * Each floor's CPU per event, worker (Node) and PostgreSQL: what the read costs, and what each
 * projection adds to it when rebuilt alone; `ceiling_events_per_s` is what two cores allow
 * for the sum of the whole rebuild's CPU, had both sides no wait.
 */
function floorFigures(r: RebuildResult): Record<string, number | string> {
  const perEvent = (ms: number | null) => (ms === null ? 'n/a' : (ms * 1000) / r.applied);
  const read = r.floors.find((f) => f.name === 'read');
  const extra: Record<string, number | string> = {};
  for (const f of r.floors) {
    const minusRead = (own: number | null, base: number | null | undefined) => (f === read || own === null || base == null ? own : own - base);
    const key = f.name.replace(/[^a-z0-9]+/g, '_');
    extra[`${f === read ? 'floor' : 'alone_adds'}_${key}_worker_us`] = perEvent(minusRead(f.workerCpuMs, read?.workerCpuMs));
    extra[`${f === read ? 'floor' : 'alone_adds'}_${key}_postgres_us`] = perEvent(minusRead(f.postgresCpuMs, read?.postgresCpuMs));
    // Each lane applies its batches one after the other: the slowest one's own rate caps the whole rebuild.
    extra[`${f === read ? 'floor' : 'alone'}_${key}_events_per_s`] = Math.round(r.applied / f.seconds);
  }
  if (r.postgresCpuMs !== null) extra.ceiling_events_per_s = (2 * r.applied) / ((r.workerCpuMs + r.postgresCpuMs) / 1000);
  return extra;
}

interface RebuildResult extends CpuUse {
  applied: number;
  maxRssMb: number;
  /** The same rebuild with no projection (`read`: reading and decoding the log), then with each one alone. */
  floors: Floor[];
}

type Floor = CpuUse & { name: string };

/** The projections this log keeps busy, each measured alone; the others (few events here) are measured together. */
const HEAVY = ['inventory', 'billing', 'log-tree'];

/** The worker starts on read models that are up to date, so that only the rebuild replays the log. */
async function checkpointsAtHead(url: string): Promise<void> {
  await withClient(url, (c) => c.query(
    `UPDATE projection_checkpoints SET position = (SELECT tx_id::text || ':' || sequence FROM ledger_events ORDER BY tx_id DESC, sequence DESC LIMIT 1)`,
  ));
}

/** The reference: every event of the log in log order, read and decoded by a plain client. */
async function plainOrderedRead(url: string): Promise<{ events: number; seconds: number; cpuMs: number }> {
  return withClient(url, async (c) => {
    const started = performance.now();
    const cpu = process.cpuUsage();
    let events = 0;
    let after = ['0', '0'];
    for (;;) {
      const { rows } = await c.query<{ position: string }>(
        `SELECT ${EVENT_COLUMNS} ${FROM_EVENTS} WHERE (tx_id, sequence) > ($1::text::xid8, $2::bigint) ORDER BY tx_id, sequence LIMIT ${READ_BATCH}`,
        after,
      );
      if (rows.length === 0) break;
      events += rows.length;
      after = rows[rows.length - 1].position.split(':');
    }
    const used = process.cpuUsage(cpu);
    return { events, seconds: (performance.now() - started) / 1000, cpuMs: (used.user + used.system) / 1000 };
  });
}

async function check(url: string, log: NumberLog, rebuilt: RebuildResult): Promise<boolean> {
  return withClient(url, async (c) => {
    const states = await inventoryStates(c);
    const leaves = Number((await c.query<{ size: string }>('SELECT size FROM log_tree_head')).rows[0]?.size ?? 0);
    const events = Number((await c.query<{ n: string }>('SELECT count(*) AS n FROM ledger_events')).rows[0].n);
    const ok = sameStates(states, log.states) && leaves === events && rebuilt.applied === events;
    if (!ok) console.log(`  rebuilt read models differ: states ${JSON.stringify(states)}, expected ${JSON.stringify(log.states)}; ${leaves} leaves, ${events} events`);
    return ok;
  });
}

async function withClient<T>(url: string, work: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return await work(c);
  } finally {
    await c.end();
  }
}

/** CPU of one run: the worker's and its database backends' (null when the server is not on this machine). */
interface CpuUse {
  seconds: number;
  workerCpuMs: number;
  postgresCpuMs: number | null;
}

async function measured<T>(sql: SqlExecutor, work: () => Promise<T>): Promise<CpuUse & { result: T }> {
  const before = await backendCpuMs(sql);
  const cpu = process.cpuUsage();
  const started = performance.now();
  const result = await work();
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const after = await backendCpuMs(sql);
  const postgresCpuMs = after && before ? [...after].reduce((sum, [pid, ms]) => sum + ms - (before.get(pid) ?? 0), 0) : null;
  return { result, seconds, workerCpuMs: (used.user + used.system) / 1000, postgresCpuMs };
}

/** Worker: the service's runtime on the database, then what the CLI's rebuild does, then each projection's rebuild alone. */
asWorker(module, async (): Promise<RebuildResult> => {
  await import('reflect-metadata');
  const { NestFactory } = await import('@nestjs/core');
  const { LedgerModule } = await import('../apps/ledger/src/ledger.module');
  const { settingsFromEnv } = await import('../apps/ledger/src/core/ledger-settings');
  const { STORES } = await import('../apps/ledger/src/core/tokens');
  const { Projector } = await import('@ledger/projections/projector');
  const settings = { ...settingsFromEnv(), dataDir: mkdtempSync(join(tmpdir(), 'rebuild-bench-')), systemKey: 'bench-system-key', sweepIntervalMs: 0 };
  const app = await NestFactory.createApplicationContext(LedgerModule.forRoot({ settings, log: () => undefined, background: false }), { logger: false });
  const projector = app.get(Projector);
  const stores = app.get<import('../apps/ledger/src/core/open-stores').LedgerStores>(STORES);
  try {
    const all = await measured(stores.sql, () => projector.rebuild());
    if (projector.failures.length) throw new Error(`rebuild failed: ${JSON.stringify(projector.failures)}`);
    // The floors: the same rebuild with no projection (the read alone), then with each projection alone.
    const alone = async (projections: typeof projector.projections) => {
      const one = new Projector(stores.events, stores.sql, projections, { schema: projector.schema, upcasters: projector.upcasters });
      await one.migrate();
      return measured(stores.sql, () => one.rebuild());
    };
    const floors: Floor[] = [{ name: 'read', ...(await alone([])) }];
    const rows = projector.projections.filter((p) => !p.followsOnly);
    for (const p of rows.filter((p) => HEAVY.includes(p.name))) floors.push({ name: p.name, ...(await alone([p])) });
    floors.push({ name: 'the others', ...(await alone(rows.filter((p) => !HEAVY.includes(p.name)))) });
    return {
      applied: all.result, seconds: all.seconds, maxRssMb: process.resourceUsage().maxRSS / 1024, workerCpuMs: all.workerCpuMs,
      postgresCpuMs: all.postgresCpuMs, floors: floors.map(({ name, seconds, workerCpuMs, postgresCpuMs }) => ({ name, seconds, workerCpuMs, postgresCpuMs })),
    };
  } finally {
    await app.close();
    rmSync(settings.dataDir, { recursive: true, force: true });
  }
});
