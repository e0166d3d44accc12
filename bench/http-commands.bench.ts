import { cpus } from 'node:os';
import { Benchmark, BenchResult, closedLoop, percentile } from './bench-kit';
import { HttpJsonClient } from './http-client';
import { bareHttpInsertRate } from './bare-http-floor';
import { rawInsertRate } from './raw-insert-rate';
import { commandCost } from './command-cost';
import { measureServiceCpu } from './service-cpu';
import { startServiceProcess } from './service-process';

const CLIENTS = 32;

/**
 * Acquire-then-release over HTTP with 32 concurrent clients on PostgreSQL, each client
 * cycling one number (available/aging -> in_service -> aging), beside raw INSERTs.
 */
const bench: Benchmark = async (ctx) => {
  const durationMs = Math.max(3000, 15_000 * ctx.scale);
  const url = await ctx.scratchDatabase('http');
  const service = await startServiceProcess({ DATABASE_URL: url });
  const http = new HttpJsonClient(service.baseUrl, service.systemKey, CLIENTS);
  try {
    await http.send('POST', '/v1/accounts', { id: 'bench', name: 'Bench' });
    const numbers = Array.from({ length: CLIENTS }, (_, i) => `+1555${String(2000000 + i).padStart(7, '0')}`);
    for (const n of numbers) await http.send('POST', '/v1/numbers', { number: n, state: 'available', carrierModule: 'knm_inventory' });
    // Warm-up (JIT, caches, pools), each client back where it started: acquire then release.
    await closedLoop(CLIENTS, Math.min(2000, durationMs / 3), async (client) => {
      await http.send('POST', `/v1/numbers/${numbers[client]}/acquire`, { accountId: 'bench' });
      await http.send('POST', `/v1/numbers/${numbers[client]}/release`, {});
    });
    let failures = 0;
    const measured = await measureServiceCpu(service.baseUrl, () =>
      closedLoop(CLIENTS, durationMs, async (client, i) => {
        const action = i % 2 === 0 ? 'acquire' : 'release';
        const r = await http.send('POST', `/v1/numbers/${numbers[client]}/${action}`, action === 'acquire' ? { accountId: 'bench' } : {});
        if (r.status !== 200) failures++;
      }),
      url,
    );
    const { cpuSeconds, result: run } = measured;
    const rate = run.latencies.length / run.seconds;
    const cpuMsPerCommand = (cpuSeconds * 1000) / run.latencies.length;
    ctx.log(`commands: ${run.latencies.length} in ${run.seconds.toFixed(1)} s, failures ${failures}, service CPU ${cpuSeconds.toFixed(1)} s (${cpuMsPerCommand.toFixed(3)} ms per command)`);
    const raw = await rawInsertRate(url, CLIENTS, durationMs);
    const bare = await bareHttpInsertRate(url, CLIENTS, durationMs);
    const p99 = percentile(run.latencies, 99);
    const bareRatio = bare.perSecond / raw.perSecond;
    const result: BenchResult = {
      benchmark: 'acquire then release over HTTP (PostgreSQL, 32 clients)',
      figures: [
        {
          name: 'commands over HTTP',
          value: rate,
          unit: 'commands/s',
          reference: { name: 'single-row INSERT transactions, 32 clients', value: raw.perSecond },
          ratio: rate / raw.perSecond,
          target: '>= 50% of raw, p99 <= 2x raw p99',
          met: rate / raw.perSecond >= 0.5 && p99 <= 2 * raw.p99,
          extra: {
            p50_ms: percentile(run.latencies, 50), p99_ms: p99, failures, raw_p50_ms: raw.p50, raw_p99_ms: raw.p99,
            p99_vs_raw_p99: p99 / raw.p99, service_cpu_s: cpuSeconds, service_cpu_ms_per_command: cpuMsPerCommand,
            vs_bare_http_floor: rate / bare.perSecond, bare_http_floor_ratio: bareRatio,
            target_reachable_here: bareRatio >= 0.5 ? 'yes' : `no: the bare HTTP floor itself is ${bareRatio.toFixed(2)} of raw`,
          },
        },
        {
          name: 'the raw INSERT behind a bare node:http server (no framework, no validation: the floor of any Node HTTP service here)',
          value: bare.perSecond,
          unit: 'requests/s',
          reference: { name: 'single-row INSERT transactions, 32 clients', value: raw.perSecond },
          ratio: bareRatio,
          extra: {
            p50_ms: bare.p50, p99_ms: bare.p99, p99_vs_raw_p99: bare.p99 / raw.p99,
            server_cpu_us_per_request: Math.round(bare.serverCpuUs), load_cpu_us_per_request: Math.round(bare.loadCpuUs),
            ...(bare.postgresCpuUs === null ? {} : {
              postgres_cpu_us_per_request: Math.round(bare.postgresCpuUs),
              [`${cpus().length}_core_bound_per_s`]: Math.round((cpus().length * 1e6) / (bare.serverCpuUs + bare.postgresCpuUs + bare.loadCpuUs)),
            }),
          },
        },
        {
          name: 'service CPU per command over HTTP',
          value: cpuMsPerCommand,
          unit: 'ms CPU/command',
          extra: { service_cpu_s: cpuSeconds, commands: run.latencies.length, cpu_share_of_one_core: cpuSeconds / run.seconds, ...commandCost(measured, raw) },
        },
      ],
    };
    return result;
  } finally {
    http.close();
    await service.stop();
  }
};

export default bench;
