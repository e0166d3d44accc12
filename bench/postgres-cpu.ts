import { backendCpuBetween, databaseBackendCpuMs } from './backend-cpu';

/**
 * PostgreSQL CPU seconds the database's backends spent while `load` ran (null when the
 * server is not on this machine). A backend that ended during the load is not counted;
 * one that began counts from zero.
 */
export async function measurePostgresCpu<T>(databaseUrl: string, load: () => Promise<T>): Promise<{ postgresCpuSeconds: number | null; result: T }> {
  const before = await databaseBackendCpuMs(databaseUrl);
  const result = await load();
  const ms = backendCpuBetween(before, await databaseBackendCpuMs(databaseUrl));
  return { postgresCpuSeconds: ms === null ? null : ms / 1000, result };
}
