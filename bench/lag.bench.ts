import { Client } from 'pg';
import { addCycleNumbers, cycleCommand, cycleState } from './acquire-release';
import { Benchmark, closedLoop, percentile } from './bench-kit';
import { HttpJsonClient } from './http-client';
import { startServiceProcess } from './service-process';

const CLIENTS = 32;

/**
 * Projection lag under the 32-client command load of http-commands (acquire/release over
 * HTTP, PostgreSQL): a 33rd client runs the same cycle on its own number and, at each
 * answer, asks `GET /v1/numbers?prefix=<number>&minPosition=<X-Ledger-Position>`; the lag
 * is the time from the command's answer until that query answers with the number in the
 * state the command left it in. Beside it, same run, the same query without minPosition
 * (what reading alone costs under that load: the floor of the lag), and the round trip of
 * `SELECT 1` through a plain client (applying a batch of events takes about 15 of those, in
 * one transaction).
 */
const bench: Benchmark = async (ctx) => {
  const durationMs = Math.max(3000, 20_000 * ctx.scale);
  const url = await ctx.scratchDatabase('lag');
  const service = await startServiceProcess({ DATABASE_URL: url });
  const http = new HttpJsonClient(service.baseUrl, service.systemKey, CLIENTS + 1);
  try {
    const numbers = await addCycleNumbers(http, CLIENTS + 1);
    const probe = numbers.pop()!;
    const load = closedLoop(CLIENTS, durationMs, async (client, i) => {
      await cycleCommand(http, numbers[client], i);
    });
    const roundTrips = sqlRoundTrips(url, durationMs);
    const lags: number[] = [];
    const plain: number[] = [];
    let stale = 0;
    await closedLoop(1, durationMs, async (_, i) => {
      const answer = await cycleCommand(http, probe, i);
      const answered = performance.now();
      const position = String(answer.headers['x-ledger-position']);
      const seen = await http.send('GET', `/v1/numbers?prefix=${encodeURIComponent(probe)}&limit=1&minPosition=${position}`);
      lags.push(performance.now() - answered);
      if (stateOf(seen.body) !== cycleState(i)) stale++;
      const t = performance.now();
      await http.send('GET', `/v1/numbers?prefix=${encodeURIComponent(probe)}&limit=1`);
      plain.push(performance.now() - t);
    });
    const run = await load;
    const trips = await roundTrips;
    const rate = run.latencies.length / run.seconds;
    ctx.log(`load: ${rate.toFixed(0)} commands/s; ${lags.length} probes, ${stale} not yet visible`);
    const p99 = percentile(lags, 99);
    return {
      benchmark: 'Projection lag under the 32-client command load (HTTP, PostgreSQL)',
      figures: [{
        name: 'command answer until visible to a minPosition query, p99',
        value: p99,
        unit: 'ms',
        reference: { name: 'the same query without minPosition under the same load, p99', value: percentile(plain, 99) },
        ratio: p99 / percentile(plain, 99),
        target: 'p99 < 100 ms',
        met: p99 < 100 && stale === 0,
        extra: {
          p50_ms: percentile(lags, 50), plain_p50_ms: percentile(plain, 50), probes: lags.length, not_visible: stale,
          load_commands_per_s: rate, load_p99_ms: percentile(run.latencies, 99),
          sql_round_trip_p50_ms: percentile(trips, 50), sql_round_trip_p99_ms: percentile(trips, 99),
        },
      }],
    };
  } finally {
    http.close();
    await service.stop();
  }
};

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
