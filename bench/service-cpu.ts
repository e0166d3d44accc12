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

/** CPU seconds the service spent while `load` ran, and what `load` answered. */
export async function measureServiceCpu<T>(baseUrl: string, load: () => Promise<T>): Promise<{ cpuSeconds: number; result: T }> {
  const before = await serviceCpuSeconds(baseUrl);
  const result = await load();
  return { cpuSeconds: (await serviceCpuSeconds(baseUrl)) - before, result };
}
