import { createServer } from 'node:net';
import { LedgerGrpcClient } from '../apps/ledger/src/grpc/ledger-grpc-client';
import { Benchmark, BenchFigure, closedLoop, percentile } from './bench-kit';
import { HttpJsonClient } from './http-client';
import { commandCost } from './command-cost';
import { RawInsertRate, rawInsertRate } from './raw-insert-rate';
import { MeasuredCpu, measureServiceCpu } from './service-cpu';
import { startServiceProcess } from './service-process';

const CLIENTS = 32;

/**
 * Acquire-then-release with 32 concurrent clients, each cycling its own number
 * (available/aging -> in_service -> aging), over gRPC and over HTTP against the same
 * service process in the same run, beside raw single-row INSERTs at the same concurrency.
 */
const bench: Benchmark = async (ctx) => {
  const durationMs = Math.max(3000, 15_000 * ctx.scale);
  const url = await ctx.scratchDatabase('grpc');
  const grpcPort = await freePort();
  const service = await startServiceProcess({ DATABASE_URL: url, GRPC_PORT: String(grpcPort) });
  const grpc = new LedgerGrpcClient(`127.0.0.1:${grpcPort}`);
  const http = new HttpJsonClient(service.baseUrl, service.systemKey, CLIENTS);
  const key = service.systemKey;
  try {
    await waitUntilServing(grpc);
    await grpc.call('Accounts', 'CreateAccount', { id: 'bench', name: 'Bench' }, { key });
    const overGrpc = await addNumbers(grpc, key, 2000000);
    const overHttp = await addNumbers(grpc, key, 3000000);

    let grpcFailures = 0;
    const grpcRun = await measureServiceCpu(service.baseUrl, () =>
      closedLoop(CLIENTS, durationMs, async (client, i) => {
        const acquire = i % 2 === 0;
        const request = acquire ? { number: overGrpc[client], accountId: 'bench' } : { number: overGrpc[client] };
        await grpc.call('Numbers', acquire ? 'AcquireNumber' : 'ReleaseNumber', request, { key }).catch(() => grpcFailures++);
      }),
      url,
    );
    let httpFailures = 0;
    const httpRun = await measureServiceCpu(service.baseUrl, () =>
      closedLoop(CLIENTS, durationMs, async (client, i) => {
        const action = i % 2 === 0 ? 'acquire' : 'release';
        const r = await http.send('POST', `/v1/numbers/${overHttp[client]}/${action}`, action === 'acquire' ? { accountId: 'bench' } : {});
        if (r.status !== 200) httpFailures++;
      }),
      url,
    );
    const raw = await rawInsertRate(url, CLIENTS, durationMs);
    const reference = { name: `single-row INSERT transactions, ${CLIENTS} clients`, value: raw.perSecond };
    ctx.log(`gRPC ${grpcRun.result.latencies.length} commands (${grpcFailures} failed), HTTP ${httpRun.result.latencies.length} commands (${httpFailures} failed)`);
    const grpcFigure = figure('commands over gRPC', grpcRun, raw, reference);
    const httpFigure = figure('commands over HTTP (same run)', httpRun, raw, reference);
    return {
      benchmark: `acquire then release over gRPC and HTTP (PostgreSQL, ${CLIENTS} clients)`,
      figures: [
        { ...grpcFigure, extra: { ...grpcFigure.extra, vs_http: grpcFigure.value / httpFigure.value, failures: grpcFailures } },
        { ...httpFigure, extra: { ...httpFigure.extra, failures: httpFailures } },
        cpuFigure('service CPU per command over gRPC', grpcRun, raw),
        cpuFigure('service CPU per command over HTTP (same run)', httpRun, raw),
      ],
    };
  } finally {
    grpc.close();
    http.close();
    await service.stop();
  }
};

export default bench;

type MeasuredRun = MeasuredCpu<{ latencies: number[]; seconds: number }>;

function figure(name: string, { result: run }: MeasuredRun, raw: { p50: number; p99: number }, reference: { name: string; value: number }): BenchFigure {
  const value = run.latencies.length / run.seconds;
  const p99 = percentile(run.latencies, 99);
  return {
    name, value, unit: 'commands/s', reference, ratio: value / reference.value,
    extra: { p50_ms: percentile(run.latencies, 50), p99_ms: p99, raw_p50_ms: raw.p50, raw_p99_ms: raw.p99, p99_vs_raw_p99: p99 / raw.p99 },
  };
}

function cpuFigure(name: string, measured: MeasuredRun, raw: RawInsertRate): BenchFigure {
  const { cpuSeconds, result: run } = measured;
  return {
    name, value: (cpuSeconds * 1000) / run.latencies.length, unit: 'ms CPU/command',
    extra: { service_cpu_s: cpuSeconds, commands: run.latencies.length, cpu_share_of_one_core: cpuSeconds / run.seconds, ...commandCost(measured, raw) },
  };
}

async function addNumbers(grpc: LedgerGrpcClient, key: string, base: number): Promise<string[]> {
  const numbers = Array.from({ length: CLIENTS }, (_, i) => `+1555${String(base + i).padStart(7, '0')}`);
  for (const number of numbers) {
    await grpc.call('Numbers', 'AddNumber', { number, state: 'available', carrierModule: 'knm_inventory' }, { key });
  }
  return numbers;
}

/** The gRPC server starts beside HTTP (main.ts calls startGrpcServer with GRPC_PORT). */
async function waitUntilServing(grpc: LedgerGrpcClient): Promise<void> {
  for (let i = 0; ; i++) {
    try {
      if ((await grpc.call<{ status?: string }>('Health', 'Check', { service: '' })).status === 'SERVING') return;
    } catch (err) {
      if (i >= 100) throw new Error(`no gRPC server on ${grpc.address} (does main.ts call startGrpcServer?): ${String(err)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}
