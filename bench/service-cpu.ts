import { measurePostgresCpu } from './postgres-cpu';

/**
 * The service process's CPU seconds (user + system) as its metrics endpoint reports them:
 * prom-client's default `process_cpu_seconds_total`, read from `process.cpuUsage()` at scrape.
 */
export async function serviceCpuSeconds(baseUrl: string): Promise<number> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('process_cpu_seconds_total '));
  if (!line) throw new Error('the service reports no process_cpu_seconds_total');
  return Number(line.split(' ')[1]);
}

export interface MeasuredCpu<T> {
  /** The service process. */
  cpuSeconds: number;
  /** The database's PostgreSQL backends (null without `databaseUrl` or when the server is not on this machine). */
  postgresCpuSeconds: number | null;
  /** This process: the load generator's clients. */
  loadCpuSeconds: number;
  result: T;
}

/** CPU seconds the service (and, given its database, PostgreSQL and this load generator) spent while `load` ran. */
export async function measureServiceCpu<T>(baseUrl: string, load: () => Promise<T>, databaseUrl?: string): Promise<MeasuredCpu<T>> {
  const before = await serviceCpuSeconds(baseUrl);
  const own = process.cpuUsage();
  const { postgresCpuSeconds, result } = databaseUrl ? await measurePostgresCpu(databaseUrl, load) : { postgresCpuSeconds: null, result: await load() };
  const used = process.cpuUsage(own);
  return { cpuSeconds: (await serviceCpuSeconds(baseUrl)) - before, postgresCpuSeconds, loadCpuSeconds: (used.user + used.system) / 1e6, result };
}
