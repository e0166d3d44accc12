/**
 * The one way this code base talks SQL: to a PostgreSQL server through `pg`
 * or to the embedded PGlite. Both speak the same dialect, so adapters and
 * projections are written once.
 */
export interface SqlRows<T> {
  rows: T[];
  rowCount: number;
}

export interface SqlExecutor {
  /**
   * `name` makes it a prepared statement on each PostgreSQL connection (parsed and
   * planned once); only for hot statements whose text never changes. PGlite ignores it.
   */
  query<T = any>(sql: string, params?: unknown[], name?: string): Promise<SqlRows<T>>;
}

export interface SqlClient extends SqlExecutor {
  /** Runs `work` in one transaction; commits when it resolves, rolls back when it throws. */
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /** Runs several statements separated by semicolons (migrations). */
  exec(sql: string): Promise<void>;
  readonly kind: 'postgres' | 'pglite';
  close(): Promise<void>;
}
