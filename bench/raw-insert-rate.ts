import { Pool } from 'pg';
import { closedLoop, percentile } from './bench-kit';

/**
 * The machine's raw limit for the command benchmarks: plain single-row INSERT
 * transactions (autocommit) at the same concurrency, on the same server.
 */
export async function rawInsertRate(databaseUrl: string, clients: number, durationMs: number) {
  const pool = new Pool({ connectionString: databaseUrl, max: clients });
  await pool.query('CREATE TABLE IF NOT EXISTS raw_inserts (id bigserial PRIMARY KEY, stream_id text NOT NULL, data jsonb NOT NULL, recorded_at timestamptz NOT NULL DEFAULT now())');
  const run = await closedLoop(clients, durationMs, async (client, i) => {
    await pool.query('INSERT INTO raw_inserts (stream_id, data) VALUES ($1, $2)', [`raw-${client}`, JSON.stringify({ i, state: 'in_service' })]);
  });
  await pool.end();
  return { perSecond: run.latencies.length / run.seconds, p50: percentile(run.latencies, 50), p99: percentile(run.latencies, 99) };
}
