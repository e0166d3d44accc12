import { finished } from 'node:stream/promises';
import { Pool, PoolClient, PoolConfig, QueryResult, types } from 'pg';
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

  /**
   * BEGIN goes out with the transaction's first statement when that one has no parameters
   * (`BEGIN; <statement>` in one simple query): one round trip less per transaction, which
   * under a saturated CPU is a wait for a turn of the backend and of this thread.
   */
  async transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    // A backend that dies while checked out emits 'error' on the client; the failing query reports it.
    const onError = () => undefined;
    client.on('error', onError);
    let begun = false;
    // Marked begun before the round trip: a statement issued meanwhile queues behind this BEGIN.
    const begin = async () => {
      if (begun) return;
      begun = true;
      await client.query('BEGIN');
    };
    let broken = false;
    try {
      const tx: SqlExecutor = {
        query: async <R>(sql: string, params: unknown[] = [], name?: string) => {
          if (!begun && params.length === 0 && !name) {
            begun = true;
            return lastResult<R>(await client.query(`BEGIN; ${sql}`));
          }
          await begin();
          const r = await client.query(name ? { name, text: sql, values: params } : { text: sql, values: params });
          return { rows: r.rows as R[], rowCount: r.rowCount ?? 0 };
        },
        copyFrom: async (table, columns, rows) => {
          await begin();
          return copyInto(client, table, columns, rows);
        },
      };
      const result = await work(tx);
      if (begun) await client.query('COMMIT');
      return result;
    } catch (err) {
      if (begun) await client.query('ROLLBACK').catch(() => (broken = true));
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

/** A simple query of several statements answers one result each: the caller's is the last. */
function lastResult<R>(r: QueryResult | QueryResult[]): SqlRows<R> {
  const last = Array.isArray(r) ? r[r.length - 1] : r;
  return { rows: last.rows as R[], rowCount: last.rowCount ?? 0 };
}

async function copyInto(client: PoolClient, table: string, columns: readonly string[], rows: string): Promise<number> {
  const copy = client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
  copy.end(rows);
  await finished(copy);
  return copy.rowCount;
}
