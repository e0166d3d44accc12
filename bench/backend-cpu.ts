import { readFileSync } from 'node:fs';
import { Client } from 'pg';

/** A client that can answer SQL (the service's SqlClient or a plain `pg` client). */
interface Queryable {
  query<R>(text: string, params?: unknown[]): Promise<{ rows: R[] }>;
}

/** USER_HZ: /proc counts CPU in ticks of 10 ms. */
const MS_PER_TICK = 10;

/** CPU ms so far of one backend (or any process) from /proc; null when it is not on this machine. */
export function processCpuMs(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * MS_PER_TICK;
  } catch {
    return null;
  }
}

/**
 * CPU ms so far of each backend of the client's database (null when the server is not on this
 * machine); `others` leaves out the backend asking (a client opened only to ask).
 */
export async function backendCpuMs(sql: Queryable, others = false): Promise<Map<number, number> | null> {
  const { rows } = await sql.query<{ pid: number }>(
    `SELECT pid FROM pg_stat_activity WHERE datname = current_database()${others ? ' AND pid <> pg_backend_pid()' : ''}`,
  );
  const cpu = new Map<number, number>();
  for (const { pid } of rows) {
    const ms = processCpuMs(pid);
    if (ms === null) return null;
    cpu.set(pid, ms);
  }
  return cpu;
}

/** CPU ms the backends spent between two readings (a backend that started meanwhile counts whole). */
export function backendCpuBetween(before: Map<number, number> | null, after: Map<number, number> | null): number | null {
  if (!before || !after) return null;
  return [...after].reduce((sum, [pid, ms]) => sum + ms - (before.get(pid) ?? 0), 0);
}

/** CPU ms so far of the backends of the database at `url`, asked through a client of its own. */
export async function databaseBackendCpuMs(url: string): Promise<Map<number, number> | null> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return await backendCpuMs(c, true);
  } finally {
    await c.end();
  }
}
