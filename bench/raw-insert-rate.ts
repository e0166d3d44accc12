import { Pool } from 'pg';
import { closedLoop, percentile } from './bench-kit';
import { measurePostgresCpu } from './postgres-cpu';

export interface RawInsertRate {
  perSecond: number;
  p50: number;
  p99: number;
  /** PostgreSQL backends' CPU per INSERT (null when the server is not on this machine). */
  postgresCpuUsPerInsert: number | null;
  /** This process's CPU (the pg clients) per INSERT. */
  clientCpuUsPerInsert: number;
}

export const RAW_INSERT_SQL = 'INSERT INTO raw_inserts (stream_id, data) VALUES ($1, $2)';
export const rawInsertParams = (client: number, i: number) => [`raw-${client}`, JSON.stringify({ i, state: 'in_service' })];

/**
 * The machine's raw limit for the command benchmarks: plain single-row INSERT
 * transactions (autocommit) at the same concurrency, on the same server.
 */
export async function rawInsertRate(databaseUrl: string, clients: number, durationMs: number): Promise<RawInsertRate> {
  const pool = new Pool({ connectionString: databaseUrl, max: clients });
  await pool.query('CREATE TABLE IF NOT EXISTS raw_inserts (id bigserial PRIMARY KEY, stream_id text NOT NULL, data jsonb NOT NULL, recorded_at timestamptz NOT NULL DEFAULT now())');
  // Every connection open before measuring, so that the backends' CPU is read from the start.
  await Promise.all(Array.from({ length: clients }, () => pool.query('SELECT 1')));
  const own = process.cpuUsage();
  const { postgresCpuSeconds, result: run } = await measurePostgresCpu(databaseUrl, () =>
    closedLoop(clients, durationMs, async (client, i) => {
      await pool.query(RAW_INSERT_SQL, rawInsertParams(client, i));
    }),
  );
  const used = process.cpuUsage(own);
  await pool.end();
  const inserts = run.latencies.length;
  return {
    perSecond: inserts / run.seconds, p50: percentile(run.latencies, 50), p99: percentile(run.latencies, 99),
    postgresCpuUsPerInsert: postgresCpuSeconds === null ? null : (postgresCpuSeconds * 1e6) / inserts,
    clientCpuUsPerInsert: (used.user + used.system) / inserts,
  };
}
