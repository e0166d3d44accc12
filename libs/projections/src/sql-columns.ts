import { copyText } from '@ledger/sql/copy-text';
import { SqlExecutor } from '@ledger/sql/sql-client';
/**
 * A batch's rows sent as columns, one parameter each, zipped back into rows by
 * `ROWS FROM`: scalar columns as array literals (`unnest`), JSON columns as one JSON
 * array each (`jsonb_array_elements`). The server reads them about twice as fast as
 * `jsonb_populate_recordset` of one JSON document of rows, and they are written here
 * without the driver's per-element escaping (JSON inside an array literal would need it).
 */
export interface Column {
  name: string;
  /** A scalar SQL type (`text`, `integer`, `timestamptz`, ...), `jsonb`, or `json` (kept as text: no conversion on the way in). */
  type: string;
}

/**
 * `ROWS FROM (...) AS x(<names>)` over `values` (one array per column, in the order of
 * `columns`), parameters numbered from `first`. JSON null in a jsonb column reads as
 * JSON `null`: select it through `selectColumns`, which makes it SQL NULL.
 */
export function columnsFrom(columns: readonly Column[], values: ReadonlyArray<readonly unknown[]>, first = 1): { sql: string; params: string[] } {
  const sources = columns.map((c, i) => (isJson(c) ? `${c.type}_array_elements($${first + i}::${c.type})` : `unnest($${first + i}::${c.type}[])`));
  return {
    sql: `ROWS FROM (${sources.join(', ')}) AS x(${columns.map((c) => c.name).join(', ')})`,
    params: columns.map((c, i) => (isJson(c) ? JSON.stringify(values[i]) : textColumn(values[i]))),
  };
}

/** The select list of `columnsFrom`'s rows: `x.<name>`, a jsonb column's JSON null as SQL NULL (json columns are taken as sent). */
export function selectColumns(columns: readonly Column[]): string {
  return columns.map((c) => (c.type === 'jsonb' ? `NULLIF(x.${c.name}, 'null'::jsonb)` : `x.${c.name}`)).join(', ');
}

const isJson = (c: Column): boolean => c.type === 'jsonb' || c.type === 'json';

/** A PostgreSQL array literal of scalars (null and undefined are SQL NULL, booleans t/f). */
export function textColumn(values: readonly unknown[]): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) out += ',';
    out += element(values[i]);
  }
  return `${out}}`;
}

function element(v: unknown): string {
  if (v == null) return 'NULL';
  const text = scalarText(v);
  return `"${NEEDS_ESCAPE.test(text) ? text.replace(ESCAPED, '\\$&') : text}"`;
}

function scalarText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (typeof v === 'boolean') return v ? 't' : 'f';
  return v instanceof Date ? v.toISOString() : JSON.stringify(v);
}

const NEEDS_ESCAPE = /["\\]/;
const ESCAPED = /["\\]/g;

/** Below this many rows, COPY's extra round trip costs more than it saves. */
export const COPY_FROM_ROWS = 200;

/**
 * Rows as lines of COPY's text format (see `SqlExecutor.copyFrom`), in the order of `columns`:
 * null and undefined as `\N` (so a jsonb column's null is SQL NULL, as `selectColumns` makes it),
 * jsonb columns as JSON, arrays as array literals, scalars as `textColumn` writes them.
 */
export function copyLines(columns: readonly Column[], rows: ReadonlyArray<readonly unknown[]>): string {
  const json = columns.map(isJson);
  let out = '';
  for (const row of rows) {
    for (let i = 0; i < columns.length; i++) {
      const v = row[i];
      if (i > 0) out += '\t';
      out += v == null ? '\\N' : copyText(json[i] ? JSON.stringify(v) : Array.isArray(v) ? textColumn(v) : scalarText(v));
    }
    out += '\n';
  }
  return out;
}

/** A transaction that can COPY. */
export type CopyingExecutor = SqlExecutor & Required<Pick<SqlExecutor, 'copyFrom'>>;

/**
 * Whether `rows` new rows go by COPY: the client can, and there are enough of them. Only for
 * rows no other statement of the batch can conflict with (numbers whose streams start in the
 * batch: see number-stream.ts).
 */
export function copies(tx: SqlExecutor, rows: number): tx is CopyingExecutor {
  return tx.copyFrom !== undefined && rows >= COPY_FROM_ROWS;
}

/** COPY of `rows` (values in the order of `columns`) into `table`. */
export async function copyRows(tx: CopyingExecutor, table: string, columns: readonly Column[], rows: ReadonlyArray<readonly unknown[]>): Promise<void> {
  if (rows.length > 0) await tx.copyFrom(table, columns.map((c) => c.name), copyLines(columns, rows));
}
