/**
 * The one way this code base talks SQL: to a PostgreSQL server through `pg`
 * or to the embedded PGlite. Both speak the same dialect, so adapters and
 * projections are written once.
 */
export interface SqlRows<T> {
  rows: T[];
  rowCount: number;
}

/**
 * A row of a query that names no row type: callers that state the columns pass `query<Row>`;
 * the ones that do not (tests, one-off reads) read what the SQL selects.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above: the row type is the caller's to state
export type UntypedRow = any;

export interface SqlExecutor {
  /**
   * `name` makes it a prepared statement on each PostgreSQL connection (parsed and
   * planned once); only for hot statements whose text never changes. PGlite ignores it.
   */
  query<T = UntypedRow>(sql: string, params?: unknown[], name?: string): Promise<SqlRows<T>>;
  /**
   * Loads `rows` into `table` by COPY, in COPY's text format (a line per row, tab between
   * columns, each value through `copyText`): far less work per row than INSERT when there
   * are thousands. Answers the rows copied. Only transactions have it (COPY needs one connection).
   */
  copyFrom?(table: string, columns: readonly string[], rows: string): Promise<number>;
}

export interface SqlClient extends SqlExecutor {
  /** Runs `work` in one transaction; commits when it resolves, rolls back when it throws. */
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /** Runs several statements separated by semicolons (migrations). */
  exec(sql: string): Promise<void>;
  readonly kind: 'postgres' | 'pglite';
  close(): Promise<void>;
}
