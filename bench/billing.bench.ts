import { Client } from 'pg';
import { totalsAsOfSql } from '@ledger/projections/billing/queries';
import { backfillBillingDeltasSql } from '@ledger/projections/billing/billing-deltas';
import { Benchmark, percentile } from './bench-kit';
import { appendAccounts, withInProcessService } from './in-process-service';

/**
 * Billing quantities as of a past instant (SPEC 6) for an account holding N
 * numbers (100,000 at scale 1), each with two spans of history (acquired, then
 * a feature change), beside as many numbers spread over ten other accounts.
 * Timed over HTTP (GET /v1/accounts/{id}/quantities?asOf=...), sequential
 * requests at random instants; the reference is the handler's query
 * (running totals in `billing_deltas`) sent through a plain client, same
 * instants, same run. The former read path, an aggregation over
 * `billing_intervals`, is timed too, for comparison.
 *
 * Fixture: `billing_intervals` is bulk loaded with SQL and `billing_deltas`
 * derived from it with the projection's backfill (the rows the projection writes).
 */
const REQUESTS = 300;
const DAY = 86_400_000;

const bench: Benchmark = async (ctx) => {
  const n = Math.max(5_000, Math.round(100_000 * ctx.scale));
  const url = await ctx.scratchDatabase('billing');
  const t0 = Date.parse('2025-01-01T00:00:00Z');
  const instants = Array.from({ length: REQUESTS }, (_, i) => new Date(t0 + ((i * 7919) % 120) * DAY + (i % 24) * 3_600_000).toISOString());
  return withInProcessService(url, async (start) => {
    const { projector, events, accounts: tree, base } = await start();
    const accounts = ['big', ...Array.from({ length: 10 }, (_, i) => `other${i}`)].map((id) => ({ id, parentId: 'system' }));
    await projector.waitFor(await appendAccounts(events, accounts), 10_000);
    await tree.reload();
    await seed(url, n, t0);
    const http = await timeHttp(base, instants);
    const raw = await timeRaw(url, instants, totalsAsOfSql('public'));
    const scan = await timeRaw(url, instants, INTERVAL_SCAN);
    const deltaRows = await countDeltas(url);
    ctx.log(`asOf over HTTP: p50 ${percentile(http, 50).toFixed(1)} ms, p99 ${percentile(http, 99).toFixed(1)} ms; raw SQL p99 ${percentile(raw, 99).toFixed(1)} ms; interval scan p99 ${percentile(scan, 99).toFixed(1)} ms`);
    const p99 = percentile(http, 99);
    const rawP99 = percentile(raw, 99);
    return {
      benchmark: `Billing quantities as of a past instant, account with ${n.toLocaleString('en')} numbers (PostgreSQL)`,
      figures: [{
        name: `GET /v1/accounts/{id}/quantities?asOf=..., ${REQUESTS} sequential requests, p99`,
        value: p99,
        unit: 'ms',
        reference: { name: 'the same running-totals query through a plain client, p99', value: rawP99 },
        ratio: p99 / rawP99,
        target: 'p99 < 50 ms',
        met: p99 < 50,
        extra: {
          numbers: n, interval_rows: n * 4, delta_rows: deltaRows, p50_ms: percentile(http, 50), raw_p50_ms: percentile(raw, 50),
          interval_scan_p50_ms: percentile(scan, 50), interval_scan_p99_ms: percentile(scan, 99),
        },
      }],
    };
  });
};

export default bench;

/** Two spans per number: [acquired, +30 days) without features, then open with e911 on every fifth number. */
async function seed(url: string, n: number, t0: number): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const rows = `FROM generate_series(0, $1::int * 2 - 1) AS i`;
    const account = `CASE WHEN i < $1::int THEN 'big' ELSE 'other' || (i % 10) END`;
    const number = `'+1' || (2125000000 + i)`;
    const classification = `CASE WHEN i % 10 = 0 THEN 'tollfree_us' ELSE 'did_us' END`;
    const module = `CASE WHEN i % 7 = 0 THEN 'knm_local' ELSE 'knm_managed' END`;
    const from = `to_timestamp(${t0 / 1000} + (i % 86400) * 60)`;
    await client.query(
      `INSERT INTO billing_intervals (number, account_id, classification, carrier_module, features, valid_from, valid_to)
       SELECT ${number}, ${account}, ${classification}, ${module}, '{}', ${from}, ${from} + interval '30 days' ${rows}`,
      [n],
    );
    await client.query(
      `INSERT INTO billing_intervals (number, account_id, classification, carrier_module, features, valid_from, valid_to)
       SELECT ${number}, ${account}, ${classification}, ${module}, CASE WHEN i % 5 = 0 THEN '{e911}'::text[] ELSE '{}' END,
              ${from} + interval '30 days', NULL ${rows}`,
      [n],
    );
    await client.query(backfillBillingDeltasSql('public'));
    await client.query('ANALYZE billing_intervals');
    await client.query('ANALYZE billing_deltas');
  } finally {
    await client.end();
  }
}

async function timeHttp(base: string, instants: string[]): Promise<number[]> {
  const headers = { authorization: 'Bearer bench-system-key' };
  const latencies: number[] = [];
  for (const at of instants) {
    const started = performance.now();
    const r = await fetch(`${base}/v1/accounts/big/quantities?asOf=${at}`, { headers });
    const body = (await r.json()) as { number_carriers?: Record<string, number> };
    latencies.push(performance.now() - started);
    if (r.status !== 200 || !body.number_carriers) throw new Error(`quantities failed: ${JSON.stringify(body)}`);
  }
  return latencies;
}

/** The former read path: counting the spans that cover the instant. */
const INTERVAL_SCAN = `SELECT account_id, classification, carrier_module, features, count(*) FROM billing_intervals
  WHERE account_id = ANY($1::text[]) AND valid_from <= $2 AND (valid_to IS NULL OR valid_to > $2)
  GROUP BY account_id, classification, carrier_module, features`;

async function countDeltas(url: string): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM billing_deltas WHERE account_id = 'big'`)).rows[0].n);
  } finally {
    await client.end();
  }
}

/** One query per instant through a plain client. */
async function timeRaw(url: string, instants: string[], text: string): Promise<number[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  const latencies: number[] = [];
  try {
    for (const at of instants) {
      const started = performance.now();
      await client.query({ name: `timed-${text.length}`, text, values: [['big'], at] });
      latencies.push(performance.now() - started);
    }
  } finally {
    await client.end();
  }
  return latencies;
}
