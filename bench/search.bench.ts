import { Client } from 'pg';
import { InventoryQueries } from '@ledger/projections/inventory/queries';
import { encodeCursor } from '../apps/ledger/src/numbers/list-numbers/list-cursor';
import { Benchmark, BenchFigure, percentile } from './bench-kit';
import { inventoryCall, startBareHttpServer } from './bare-http-floor';
import { HttpJsonClient } from './http-client';
import { projectInventory, seedNumberLog } from './number-log';
import { startServiceProcess } from './service-process';

const SEARCHER = 'cust-s3';

/**
 * Number queries at N numbers (1,000,000 at scale 1, see number-log.ts) on PostgreSQL, over
 * HTTP, one client at a time: prefix search (GET /v1/numbers/search for a site of `cust`),
 * prefix + state listing (GET /v1/numbers?prefix=&state=, as the system), and `big`'s own
 * listing of its numbers with a cursor in the second half of them (as `big`, with its key).
 * Each request is followed by the same SQL (the handler's InventoryQueries call) through a
 * plain `pg` client, same run, same parameters: its p99 is the floor of the HTTP p99. Then the
 * same SQL once more as EXPLAIN ANALYZE: planning + execution inside PostgreSQL, the part of
 * that floor the queries themselves are responsible for. And the same SQL behind a bare
 * `node:http` server (bare-http-floor.ts): the part of the HTTP p99 no framework can remove.
 */
const bench: Benchmark = async (ctx) => {
  const numbers = Math.max(10_000, Math.round(1_000_000 * ctx.scale));
  const requests = Math.max(100, Math.round(500 * Math.sqrt(ctx.scale)));
  const url = await ctx.scratchDatabase('search');
  const log = await seedNumberLog(url, { numbers });
  const projected = await projectInventory(url);
  ctx.log(`${numbers} numbers seeded, inventory projected in ${projected.toFixed(1)} s`);
  const service = await startServiceProcess({ DATABASE_URL: url, LEDGER_SWEEP_INTERVAL_MS: '0' });
  const system = new HttpJsonClient(service.baseUrl, service.systemKey, 1);
  const bareServer = await startBareHttpServer(url);
  const bare = new HttpJsonClient(bareServer.baseUrl, 'none', 1);
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const bigKey = (JSON.parse((await system.send('POST', '/v1/accounts/big/keys', { name: 'bench' })).body) as { key: string }).key;
    const big = new HttpJsonClient(service.baseUrl, bigKey, 1);
    const plain = new InventoryQueries({
      query: async <T>(sql: string, params?: unknown[]) => {
        const r = await client.query(sql, params);
        return { rows: r.rows as T[], rowCount: r.rowCount ?? 0 };
      },
    }, 'public');
    const inside = insideDatabase(client);
    const path = async (id: string) => (await client.query<{ path: string[] }>('SELECT path FROM accounts WHERE id = $1', [id])).rows[0].path;
    const [searcherPath, bigPath] = [await path(SEARCHER), await path('big')];
    const bigNumbers = (await client.query<{ number: string }>(`SELECT number FROM inventory WHERE assigned_to = 'big' ORDER BY number`)).rows.map((r) => r.number);
    const random = lcg(42);
    const area = () => `+1${200 + Math.floor(random() * 100)}`;
    const prefixOf = (i: number) => [area(), `${area()}2005`, `${area()}20055`][i % 3];
    const figures = [
      await timed('prefix search, GET /v1/numbers/search (50 per page)', requests, (i) => {
        const prefix = prefixOf(i);
        return {
          http: () => system.send('GET', `/v1/numbers/search?prefix=${encodeURIComponent(prefix)}&accountId=${SEARCHER}&quantity=50`),
          sql: () => plain.takeable(prefix, searcherPath, 0, 51),
          bare: () => bare.send('GET', inventoryCall('takeable', [prefix, searcherPath, 0, 51])),
          inside: () => inside.timed((q) => q.takeable(prefix, searcherPath, 0, 51)),
        };
      }),
      await timed('prefix + state listing, GET /v1/numbers?prefix=&state=in_service (50 per page)', requests, (i) => {
        const prefix = prefixOf(i);
        return {
          http: () => system.send('GET', `/v1/numbers?prefix=${encodeURIComponent(prefix)}&state=in_service&limit=50`),
          sql: () => plain.list(null, { prefix, state: 'in_service' }, 50),
          bare: () => bare.send('GET', inventoryCall('list', [null, { prefix, state: 'in_service' }, 50])),
          inside: () => inside.timed((q) => q.list(null, { prefix, state: 'in_service' }, 50)),
        };
      }),
      await timed(`account listing deep in ${bigNumbers.length.toLocaleString('en')} numbers, GET /v1/numbers?assignedTo=&cursor= (100 per page)`, requests, () => {
        const after = bigNumbers[Math.floor(bigNumbers.length * (0.5 + random() * 0.49))];
        return {
          http: () => big.send('GET', `/v1/numbers?assignedTo=big&limit=100&cursor=${encodeCursor(after)}`),
          sql: () => plain.list({ accountId: 'big', path: bigPath }, { assignedTo: 'big', after }, 100),
          bare: () => bare.send('GET', inventoryCall('list', [{ accountId: 'big', path: bigPath }, { assignedTo: 'big', after }, 100])),
          inside: () => inside.timed((q) => q.list({ accountId: 'big', path: bigPath }, { assignedTo: 'big', after }, 100)),
        };
      }),
    ];
    big.close();
    return { benchmark: `Number queries at ${log.numbers.toLocaleString('en')} numbers over HTTP, one client (PostgreSQL)`, figures };
  } finally {
    system.close();
    bare.close();
    await client.end();
    await service.stop();
    await bareServer.stop();
  }
};

export default bench;

interface Sample {
  http: () => Promise<{ status: number; body: string }>;
  sql: () => Promise<unknown[]>;
  /** The same SQL behind the bare node:http server (bare-http-floor.ts). */
  bare: () => Promise<{ status: number; body: string }>;
  /** The same SQL's planning + execution time inside PostgreSQL (EXPLAIN ANALYZE), ms. */
  inside: () => Promise<number>;
}

/**
 * Runs a query of InventoryQueries as EXPLAIN (ANALYZE) and answers its planning + execution
 * time: what PostgreSQL itself spends, without the round trip and the client's share of the CPUs.
 */
function insideDatabase(client: Client) {
  let spent = 0;
  const queries = new InventoryQueries({
    query: async <T>(sql: string, params?: unknown[]) => {
      const r = await client.query<{ 'QUERY PLAN': Array<{ 'Planning Time': number; 'Execution Time': number }> }>(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`, params);
      const [plan] = r.rows[0]['QUERY PLAN'];
      spent = plan['Planning Time'] + plan['Execution Time'];
      return { rows: [] as T[], rowCount: 0 };
    },
  }, 'public');
  return {
    async timed(run: (q: InventoryQueries) => Promise<unknown>): Promise<number> {
      await run(queries);
      return spent;
    },
  };
}

/** `requests` samples, each the HTTP request then the same SQL through the plain client. */
async function timed(name: string, requests: number, sample: (i: number) => Sample): Promise<BenchFigure> {
  const http: number[] = [];
  const sql: number[] = [];
  const inside: number[] = [];
  const bare: number[] = [];
  let mismatches = 0;
  for (let i = 0; i < requests + 10; i++) {
    const s = sample(i);
    let t = performance.now();
    const answer = await s.http();
    const httpMs = performance.now() - t;
    t = performance.now();
    const rows = await s.sql();
    const sqlMs = performance.now() - t;
    const insideMs = await s.inside();
    t = performance.now();
    const bareAnswer = await s.bare();
    const bareMs = performance.now() - t;
    if (bareAnswer.status !== 200) throw new Error(`${name}: bare server HTTP ${bareAnswer.status} ${bareAnswer.body}`);
    if (answer.status !== 200) throw new Error(`${name}: HTTP ${answer.status} ${answer.body}`);
    if ((JSON.parse(answer.body) as { data: unknown[] }).data.length !== Math.min(rows.length, pageSize(name))) mismatches++;
    if (i < 10) continue; // warm-up: connections, plans, caches
    http.push(httpMs);
    sql.push(sqlMs);
    inside.push(insideMs);
    bare.push(bareMs);
  }
  const p99 = percentile(http, 99);
  return {
    name: `${name}, p99`,
    value: p99,
    unit: 'ms',
    reference: { name: 'the same SQL through a plain pg client, p99', value: percentile(sql, 99) },
    ratio: p99 / percentile(sql, 99),
    target: 'p99 < 10 ms over HTTP',
    met: p99 < 10 && mismatches === 0,
    extra: {
      p50_ms: percentile(http, 50), sql_p50_ms: percentile(sql, 50),
      // Planning + execution inside PostgreSQL: the rest of the plain client's tail is the round trip on shared CPUs.
      in_database_p50_ms: percentile(inside, 50), in_database_p99_ms: percentile(inside, 99),
      // The same SQL behind a bare node:http server: what HTTP in Node adds on this machine, framework aside.
      bare_http_p50_ms: percentile(bare, 50), bare_http_p99_ms: percentile(bare, 99),
      requests, pages_unlike_sql: mismatches,
    },
  };
}

const pageSize = (name: string) => (name.includes('100 per page') ? 100 : 50);

/** A repeatable sequence in [0, 1). */
function lcg(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
}
