import { Client } from 'pg';
import { addCycleNumbers, cycleCommand, cycleState } from './acquire-release';
import { BenchContext, BenchFigure, Benchmark, closedLoop, percentile } from './bench-kit';
import { HttpJsonClient } from './http-client';
import { serviceCpuSeconds } from './service-cpu';
import { startServiceProcess } from './service-process';
import { databaseBackendCpuMs } from './backend-cpu';

const CLIENTS = 32;

/**
 * Projection lag under the 32-client command load of http-commands (acquire/release over
 * HTTP, PostgreSQL): a 33rd client runs the same cycle on its own number and, at each
 * answer, asks `GET /v1/numbers?prefix=<number>&minPosition=<X-Ledger-Position>`; the lag
 * is the time from the command's answer until that query answers with the number in the
 * state the command left it in. Beside it, same run, the same query without minPosition
 * (what reading alone costs under that load: the floor of the lag), and the round trip of
 * `SELECT 1` through a plain client. Measured twice, each on a fresh database: with the
 * projector in its own thread (the service's default on PostgreSQL), then in the service's
 * event loop (LEDGER_PROJECTOR_THREAD=0), where each round trip of a batch's transaction
 * waits its turn behind the HTTP load.
 */
const bench: Benchmark = async (ctx) => {
  // About 500 probes at scale 1: a p99 of 250 was the third-worst probe, and moved by tens of ms from run to run.
  const durationMs = Math.max(3000, 40_000 * ctx.scale);
  const thread = await lagUnderLoad(ctx, durationMs, {});
  const mainLoop = await lagUnderLoad(ctx, durationMs, { LEDGER_PROJECTOR_THREAD: '0' });
  return {
    benchmark: 'Projection lag under the 32-client command load (HTTP, PostgreSQL)',
    figures: [
      figure('command answer until visible to a minPosition query (projector thread), p99', thread, { target: 'p99 < 100 ms', met: thread.p99 < 100 && thread.stale === 0 }),
      figure('the same with the projector in the service\'s event loop (LEDGER_PROJECTOR_THREAD=0), p99', mainLoop, {}),
    ],
  };
};

interface LagRun {
  p99: number;
  stale: number;
  plainP99: number;
  extra: Record<string, number>;
}

function figure(name: string, run: LagRun, target: { target?: string; met?: boolean }): BenchFigure {
  return {
    name,
    value: run.p99,
    unit: 'ms',
    reference: { name: 'the same query without minPosition under the same load, p99', value: run.plainP99 },
    ratio: run.p99 / run.plainP99,
    ...target,
    extra: run.extra,
  };
}

async function lagUnderLoad(ctx: BenchContext, durationMs: number, env: Record<string, string>): Promise<LagRun> {
  const url = await ctx.scratchDatabase('lag');
  const service = await startServiceProcess({ DATABASE_URL: url, ...env });
  const http = new HttpJsonClient(service.baseUrl, service.systemKey, CLIENTS + 1);
  try {
    const numbers = await addCycleNumbers(http, CLIENTS + 1);
    const probe = numbers.pop()!;
    const cpuBefore = { service: await serviceCpuSeconds(service.baseUrl), postgres: await postgresCpuMsOf(url) };
    const load = closedLoop(CLIENTS, durationMs, async (client, i) => {
      await cycleCommand(http, numbers[client], i);
    });
    const roundTrips = sqlRoundTrips(url, durationMs);
    const lags: number[] = [];
    const plain: number[] = [];
    const beyondPlain: number[] = [];
    let stale = 0;
    await closedLoop(1, durationMs, async (_, i) => {
      const answer = await cycleCommand(http, probe, i);
      const answered = performance.now();
      const position = String(answer.headers['x-ledger-position']);
      const seen = await http.send('GET', `/v1/numbers?prefix=${encodeURIComponent(probe)}&limit=1&minPosition=${position}`);
      const lag = performance.now() - answered;
      lags.push(lag);
      if (stateOf(seen.body) !== cycleState(i)) stale++;
      const t = performance.now();
      await http.send('GET', `/v1/numbers?prefix=${encodeURIComponent(probe)}&limit=1`);
      plain.push(performance.now() - t);
      beyondPlain.push(lag - plain[plain.length - 1]);
    });
    const run = await load;
    const trips = await roundTrips;
    const serviceCpuMs = ((await serviceCpuSeconds(service.baseUrl)) - cpuBefore.service) * 1000;
    const postgresCpuMs = (await postgresCpuMsOf(url)) - cpuBefore.postgres;
    const commands = run.latencies.length + lags.length;
    const rate = run.latencies.length / run.seconds;
    ctx.log(`${env.LEDGER_PROJECTOR_THREAD === '0' ? 'event loop' : 'thread'}: ${rate.toFixed(0)} commands/s; ${lags.length} probes, ${stale} not yet visible`);
    return {
      p99: percentile(lags, 99),
      stale,
      plainP99: percentile(plain, 99),
      extra: {
        p50_ms: percentile(lags, 50), plain_p50_ms: percentile(plain, 50), probes: lags.length, not_visible: stale,
        // The lag less the plain query that followed it: roughly the minPosition wait alone.
        wait_p50_ms: percentile(beyondPlain, 50), wait_p99_ms: percentile(beyondPlain, 99),
        load_commands_per_s: rate, load_p99_ms: percentile(run.latencies, 99),
        // What each mode costs, whatever else the machine runs: CPU per command of the service (all its threads) and of its PostgreSQL backends.
        service_cpu_ms_per_command: serviceCpuMs / commands, postgres_cpu_ms_per_command: postgresCpuMs / commands,
        sql_round_trip_p50_ms: percentile(trips, 50), sql_round_trip_p99_ms: percentile(trips, 99),
        // A batch makes about ten such round trips in a row; the rare ones that wait tens of ms for a core make the lag's tail.
        sql_round_trip_p999_ms: percentile(trips, 99.9), sql_round_trip_max_ms: percentile(trips, 100),
      },
    };
  } finally {
    http.close();
    await service.stop();
  }
}

export default bench;

/** `SELECT 1` one after the other through a plain client for `durationMs`: the machine's round trip under the load. */
async function sqlRoundTrips(url: string, durationMs: number): Promise<number[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await closedLoop(1, durationMs, async () => {
      await client.query('SELECT 1');
    })).latencies;
  } finally {
    await client.end();
  }
}

function stateOf(body: string): string | undefined {
  return (JSON.parse(body) as { data?: Array<{ state?: string }> }).data?.[0]?.state;
}


/** CPU ms so far of the database's backends in all (0 when the server is not on this machine). */
async function postgresCpuMsOf(url: string): Promise<number> {
  return [...((await databaseBackendCpuMs(url)) ?? new Map<number, number>()).values()].reduce((a, b) => a + b, 0);
}
