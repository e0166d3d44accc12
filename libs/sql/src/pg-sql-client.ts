import { finished } from 'node:stream/promises';
import { Pool, PoolClient, PoolConfig, types } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { SqlClient, SqlExecutor, SqlRows, UntypedRow } from './sql-client';

// bigint columns come back as strings by default; positions need full precision, counts are small.
types.setTypeParser(20, (v) => (v.length < 16 ? Number(v) : v));

export class PgSqlClient implements SqlClient {
  readonly kind = 'postgres' as const;
  readonly pool: Pool;

  constructor(connectionString: string, options: PoolConfig = {}) {
    this.pool = new Pool({ connectionString, max: 20, ...options });
    this.pool.on('error', () => undefined); // an idle client dropped by the server; the next checkout reconnects
  }

  async query<T = UntypedRow>(sql: string, params: unknown[] = [], name?: string): Promise<SqlRows<T>> {
    const r = await this.pool.query(name ? { name, text: sql, values: params } : { text: sql, values: params });
    return { rows: r.rows as T[], rowCount: r.rowCount ?? 0 };
  }

  async exec(sql: string): Promise<void> {
    await this.pool.query(sql);
  }

  async transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    // A backend that dies while checked out emits 'error' on the client; the failing query reports it.
    const onError = () => undefined;
    client.on('error', onError);
    let broken = false;
    try {
      await client.query('BEGIN');
      const tx: SqlExecutor = {
        query: async <R>(sql: string, params: unknown[] = [], name?: string) => {
          const r = await client.query(name ? { name, text: sql, values: params } : { text: sql, values: params });
          return { rows: r.rows as R[], rowCount: r.rowCount ?? 0 };
        },
        copyFrom: (table, columns, rows) => copyInto(client, table, columns, rows),
      };
      const result = await work(tx);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => (broken = true));
      throw err;
    } finally {
      client.off('error', onError);
      client.release(broken); // a connection that cannot even roll back is discarded, not pooled
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

async function copyInto(client: PoolClient, table: string, columns: readonly string[], rows: string): Promise<number> {
  const copy = client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
  copy.end(rows);
  await finished(copy);
  return copy.rowCount;
}
