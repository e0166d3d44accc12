import { readFileSync } from 'node:fs';
import { Client } from 'pg';

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/**
 * CPU seconds so far (user + system) of every backend connected to the database of
 * `databaseUrl` but the one asking, read from /proc: the server must run on this
 * machine. Null when it does not (no /proc entry for its backends).
 */
export async function postgresBackendCpuSeconds(databaseUrl: string): Promise<Map<number, number> | null> {
  const c = new Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    const { rows } = await c.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
    const seconds = new Map<number, number>();
    for (const { pid } of rows) {
      const cpu = processCpuSeconds(pid);
      if (cpu === null) return null;
      seconds.set(pid, cpu);
    }
    return seconds;
  } finally {
    await c.end();
  }
}

function processCpuSeconds(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/**
 * PostgreSQL CPU seconds the database's backends spent while `load` ran (null when the
 * server is not on this machine). A backend that ended during the load is not counted;
 * one that began counts from zero.
 */
export async function measurePostgresCpu<T>(databaseUrl: string, load: () => Promise<T>): Promise<{ postgresCpuSeconds: number | null; result: T }> {
  const before = await postgresBackendCpuSeconds(databaseUrl);
  const result = await load();
  const after = await postgresBackendCpuSeconds(databaseUrl);
  const postgresCpuSeconds = before && after ? [...after].reduce((sum, [pid, s]) => sum + s - (before.get(pid) ?? 0), 0) : null;
  return { postgresCpuSeconds, result };
}
