import { spawn } from 'node:child_process';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { Pool } from 'pg';
import { InventoryQueries } from '@ledger/projections/inventory/queries';
import { closedLoop, percentile } from './bench-kit';
import { processCpuMs } from './backend-cpu';
import { HttpJsonClient } from './http-client';
import { measurePostgresCpu } from './postgres-cpu';
import { RAW_INSERT_SQL, rawInsertParams } from './raw-insert-rate';

const FLOOR_ENV = 'BENCH_BARE_HTTP_DATABASE_URL';

/**
 * The floor of any HTTP service written in Node on this machine: `node:http` and a `pg` pool
 * in a process of its own, no framework, no validation, no authentication. Each route runs a
 * reference's SQL once and answers its rows as JSON, so the same load through it measures
 * what HTTP alone (parsing, sockets, the load generator's client) costs on the shared cores.
 *
 * - `POST /insert`: the raw reference's single-row INSERT (raw-insert-rate.ts);
 * - `GET /inventory?call=<json>`: `InventoryQueries[call.method](...call.args)`, the search
 *   bench's SQL.
 */
export interface BareHttpServer {
  baseUrl: string;
  pid: number;
  /** CPU ms so far of the server's process. */
  cpuMs(): number;
  stop(): Promise<void>;
}

export function startBareHttpServer(databaseUrl: string): Promise<BareHttpServer> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [__filename], { env: { ...process.env, [FLOOR_ENV]: databaseUrl }, stdio: ['ignore', 'pipe', 'inherit'] });
    child.once('error', reject);
    child.stdout.once('data', (d: Buffer) => {
      const port = Number(String(d).trim());
      resolve({
        baseUrl: `http://127.0.0.1:${port}`,
        pid: child.pid!,
        cpuMs: () => processCpuMs(child.pid!) ?? 0,
        stop: () => new Promise<void>((done) => {
          child.once('exit', () => done());
          child.kill('SIGTERM');
        }),
      });
    });
  });
}

export interface BareInsertRate {
  perSecond: number;
  p50: number;
  p99: number;
  /** CPU per request of the bare server, PostgreSQL's backends and the load generator, µs. */
  serverCpuUs: number;
  postgresCpuUs: number | null;
  loadCpuUs: number;
}

/** The raw INSERT behind the bare server, at the same concurrency as the command benches. */
export async function bareHttpInsertRate(databaseUrl: string, clients: number, durationMs: number): Promise<BareInsertRate> {
  const server = await startBareHttpServer(databaseUrl);
  const http = new HttpJsonClient(server.baseUrl, 'none', clients);
  try {
    await closedLoop(clients, Math.min(1000, durationMs / 3), () => http.send('POST', '/insert', { client: 0 }).then(() => undefined));
    const cpu = server.cpuMs();
    const own = process.cpuUsage();
    const { postgresCpuSeconds, result: run } = await measurePostgresCpu(databaseUrl, () =>
      closedLoop(clients, durationMs, async (client) => {
        const r = await http.send('POST', '/insert', { client });
        if (r.status !== 200) throw new Error(`bare server: HTTP ${r.status} ${r.body}`);
      }),
    );
    const used = process.cpuUsage(own);
    const n = run.latencies.length;
    return {
      perSecond: n / run.seconds, p50: percentile(run.latencies, 50), p99: percentile(run.latencies, 99),
      serverCpuUs: ((server.cpuMs() - cpu) * 1000) / n,
      postgresCpuUs: postgresCpuSeconds === null ? null : (postgresCpuSeconds * 1e6) / n,
      loadCpuUs: (used.user + used.system) / n,
    };
  } finally {
    http.close();
    await server.stop();
  }
}

/** One InventoryQueries call for the bare server's `/inventory` route. */
export const inventoryCall = (method: 'takeable' | 'list', args: unknown[]) =>
  `/inventory?call=${encodeURIComponent(JSON.stringify({ method, args }))}`;

function serve(databaseUrl: string): void {
  const pool = new Pool({ connectionString: databaseUrl, max: 32 });
  const inventory = new InventoryQueries({
    query: async <T>(sql: string, params?: unknown[]) => {
      const r = await pool.query(sql, params);
      return { rows: r.rows as T[], rowCount: r.rowCount ?? 0 };
    },
  }, 'public');
  const answer = (res: ServerResponse, status: number, body: unknown) => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
  };
  const route = async (req: IncomingMessage, body: string): Promise<unknown> => {
    const url = new URL(req.url ?? '/', 'http://floor');
    if (req.method === 'POST' && url.pathname === '/insert') {
      const { client } = JSON.parse(body) as { client: number };
      await pool.query(RAW_INSERT_SQL, rawInsertParams(client, 0));
      return { ok: true };
    }
    const { method, args } = JSON.parse(url.searchParams.get('call') ?? '{}') as { method: 'takeable' | 'list'; args: unknown };
    const data = method === 'takeable'
      ? await inventory.takeable(...(args as Parameters<InventoryQueries['takeable']>))
      : await inventory.list(...(args as Parameters<InventoryQueries['list']>));
    return { data };
  };
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => void route(req, body).then((b) => answer(res, 200, b), (e: Error) => answer(res, 500, { error: e.message })));
  });
  server.listen(0, '127.0.0.1', () => process.stdout.write(`${(server.address() as { port: number }).port}\n`));
  process.once('SIGTERM', () => {
    server.closeAllConnections();
    server.close(() => void pool.end().then(() => process.exit(0)));
  });
}

if (require.main === module && process.env[FLOOR_ENV]) serve(process.env[FLOOR_ENV]);
