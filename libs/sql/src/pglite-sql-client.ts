import { PGlite } from '@electric-sql/pglite';
import { mkdirSync } from 'node:fs';
import { SqlClient, SqlExecutor, SqlRows, UntypedRow } from './sql-client';

const parsers = { 20: (v: string) => (v.length < 16 ? Number(v) : v) };

/** Embedded PostgreSQL: one process-local database under `dataDir` (or in memory when omitted). */
export class PgliteSqlClient implements SqlClient {
  readonly kind = 'pglite' as const;

  private constructor(readonly db: PGlite) {}

  static async open(dataDir?: string): Promise<PgliteSqlClient> {
    if (dataDir) mkdirSync(dataDir, { recursive: true });
    const db = await PGlite.create(dataDir, { parsers });
    return new PgliteSqlClient(db);
  }

  async query<T = UntypedRow>(sql: string, params: unknown[] = []): Promise<SqlRows<T>> {
    const r = await this.db.query<T>(sql, params);
    return { rows: r.rows, rowCount: rowCountOf(r) };
  }

  async exec(sql: string): Promise<void> {
    await this.db.exec(sql);
  }

  async transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.db.transaction(async (t) => {
      const tx: SqlExecutor = {
        query: async <R>(sql: string, params: unknown[] = []) => {
          const r = await t.query<R>(sql, params);
          return { rows: r.rows, rowCount: rowCountOf(r) };
        },
        // PGlite reads COPY's input from a blob it names /dev/blob.
        copyFrom: async (table, columns, rows) => {
          const r = await t.query(`COPY ${table} (${columns.join(', ')}) FROM '/dev/blob'`, [], { blob: new Blob([rows]) });
          return r.affectedRows ?? 0;
        },
      };
      return work(tx);
    });
  }

  async close(): Promise<void> {
    if (!this.db.closed) await this.db.close();
  }
}

/** As `pg` counts: the rows a statement returned or, for one that returns none, the rows it changed. */
const rowCountOf = (r: { rows: unknown[]; affectedRows?: number }) => Math.max(r.rows.length, r.affectedRows ?? 0);
