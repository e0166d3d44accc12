import { SqlExecutor } from '@ledger/sql/sql-client';
import { Column, copies, CopyingExecutor, copyRows, textColumn } from '../sql-columns';
import { BillingAttributes } from './billing-attributes';

/** The three families of SPEC 6 quantities. */
export type ItemKind = 'phone_numbers' | 'number_carriers' | 'number_services';

/** What one held number adds to its account's quantities: one per family member it counts in. */
interface Item {
  itemKind: ItemKind;
  item: string;
  /** Only for `phone_numbers`, whose billing depends on the module (read-time config); '' otherwise. */
  carrierModule: string;
}

function itemsOf(span: BillingAttributes): Item[] {
  return [
    { itemKind: 'phone_numbers', item: span.classification, carrierModule: span.carrierModule },
    { itemKind: 'number_carriers', item: span.carrierModule, carrierModule: '' },
    ...span.features.map((f): Item => ({ itemKind: 'number_services', item: f, carrierModule: '' })),
  ];
}

interface Point extends Item {
  accountId: string;
  at: number;
  delta: number;
}

/** One batch's changes to `billing_deltas`, summed per account, item and instant. */
export class DeltaBatch {
  /** Per item (itemKey), its changes by instant. */
  private readonly items = new Map<string, Map<number, Point>>();

  /** A span starts (+1) or ends (-1) at `at` (ms). */
  add(span: BillingAttributes, at: number, sign: 1 | -1): void {
    for (const item of itemsOf(span)) {
      const key = itemKey({ account_id: span.accountId, item_kind: item.itemKind, item: item.item, carrier_module: item.carrierModule });
      let points = this.items.get(key);
      if (!points) this.items.set(key, (points = new Map<number, Point>()));
      const point = points.get(at);
      if (point) point.delta += sign;
      else points.set(at, { accountId: span.accountId, ...item, at, delta: sign });
    }
  }

  /**
   * Writes the batch: each new instant starts from the total just before it,
   * then every row at or after a changed instant gains the batch's deltas up to
   * it (usually only the new rows: events mostly arrive in time order). Rows
   * whose net change came back to zero are dropped, so the table does not
   * depend on how the log was cut into batches.
   *
   * An item whose changes all come after its last row (the usual case, and every
   * item of a rebuild) touches no existing row: its new rows are inserted with
   * their final delta and total in one statement, which names the other items.
   */
  async save(tx: SqlExecutor, s: string): Promise<void> {
    const rows = this.rows();
    if (rows.length === 0) return;
    const behind = copies(tx, rows.length) ? await copyAfterLastRows(tx, s, rows) : await appendAfterLastRows(tx, s, rows);
    const others = rows.filter((r) => behind.has(r.key));
    // Without their keys: jsonb cannot hold the NUL that separates a key's parts.
    if (others.length > 0) await mergeIntoHistory(tx, s, JSON.stringify(others, (name, value: unknown) => (name === 'key' ? undefined : value)));
  }

  /** Per item, its changed instants in order with the running sum of the batch's deltas and the next instant. */
  private rows(): DeltaRow[] {
    return [...this.items].flatMap(([key, byInstant]) => {
      const points = [...byInstant.values()].filter((p) => p.delta !== 0).sort((a, b) => a.at - b.at);
      let cumulative = 0;
      return points.map((p, i): DeltaRow => {
        cumulative += p.delta;
        return {
          account_id: p.accountId, item_kind: p.itemKind, item: p.item, carrier_module: p.carrierModule,
          at: p.at, delta: p.delta, cumulative, next_at: points[i + 1]?.at ?? null, first_at: points[0].at, key,
        };
      });
    });
  }
}

interface DeltaRow {
  account_id: string;
  item_kind: ItemKind;
  item: string;
  carrier_module: string;
  /** ms */
  at: number;
  delta: number;
  /** The batch's deltas of this item up to and including `at`. */
  cumulative: number;
  next_at: number | null;
  /** ms of the item's first changed instant in the batch. */
  first_at: number;
  /** The item (itemKey). */
  key: string;
}

// NUL cannot occur in PostgreSQL text: it separates the parts unambiguously.
const itemKey = (r: { account_id: string; item_kind: string; item: string; carrier_module: string }) =>
  `${r.account_id}\0${r.item_kind}\0${r.item}\0${r.carrier_module}`;

/** Joins to each item `k` its last row `d` (at, total), through the primary key; NULLs when it has none. */
const lastRowOf = (s: string) => `LEFT JOIN LATERAL (
  SELECT d.at, d.total FROM ${s}.billing_deltas d
  WHERE d.account_id = k.account_id AND d.item_kind = k.item_kind AND d.item = k.item AND d.carrier_module = k.carrier_module
  ORDER BY d.at DESC LIMIT 1) d ON true`;

/**
 * Inserts the rows of every item whose first change comes after its last row (the running
 * total goes on from that row's); returns the other items (itemKey).
 */
async function appendAfterLastRows(tx: SqlExecutor, s: string, rows: DeltaRow[]): Promise<Set<string>> {
  const r = await tx.query<{ account_id: string; item_kind: string; item: string; carrier_module: string }>(
    `WITH p AS (
       SELECT x.account_id, x.item_kind, x.item, x.carrier_module, to_timestamp(x.at / 1000.0) AS at, x.delta, x.cumulative,
              to_timestamp(x.first_at / 1000.0) AS first_at
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::float8[], $6::int[], $7::int[], $8::float8[])
         AS x(account_id, item_kind, item, carrier_module, at, delta, cumulative, first_at)),
     items AS (
       SELECT k.*, d.at AS last_at, d.total AS last_total
       FROM (SELECT DISTINCT account_id, item_kind, item, carrier_module, first_at FROM p) k
       ${lastRowOf(s)}),
     appended AS (
       INSERT INTO ${s}.billing_deltas (account_id, item_kind, item, carrier_module, at, delta, total)
       SELECT p.account_id, p.item_kind, p.item, p.carrier_module, p.at, p.delta, COALESCE(k.last_total, 0) + p.cumulative
       FROM p JOIN items k USING (account_id, item_kind, item, carrier_module)
       WHERE k.last_at IS NULL OR k.first_at > k.last_at)
     SELECT account_id, item_kind, item, carrier_module FROM items WHERE first_at <= last_at`,
    [textColumn(rows.map((r) => r.account_id)), textColumn(rows.map((r) => r.item_kind)), textColumn(rows.map((r) => r.item)),
      textColumn(rows.map((r) => r.carrier_module)), textColumn(rows.map((r) => r.at)), textColumn(rows.map((r) => r.delta)),
      textColumn(rows.map((r) => r.cumulative)), textColumn(rows.map((r) => r.first_at))],
    `billing-deltas-append-${s}`,
  );
  return new Set(r.rows.map(itemKey));
}

/**
 * appendAfterLastRows for a big batch (a rebuild, an import): the items' last rows in one
 * statement, the running totals here, the new rows by COPY. Instants are whole milliseconds,
 * so `new Date(at)` is the instant `to_timestamp(at / 1000.0)` makes.
 */
async function copyAfterLastRows(tx: CopyingExecutor, s: string, rows: DeltaRow[]): Promise<Set<string>> {
  const firsts = new Map<string, DeltaRow>();
  for (const r of rows) if (!firsts.has(r.key)) firsts.set(r.key, r);
  const items = [...firsts.values()];
  const last = await tx.query<{ i: number; last_total: number | null; after_last: boolean }>(
    `SELECT k.i::int AS i, d.total AS last_total, (d.at IS NULL OR to_timestamp(k.first_at / 1000.0) > d.at) AS after_last
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::float8[]) WITH ORDINALITY AS k(account_id, item_kind, item, carrier_module, first_at, i)
     ${lastRowOf(s)}`,
    [textColumn(items.map((r) => r.account_id)), textColumn(items.map((r) => r.item_kind)), textColumn(items.map((r) => r.item)),
      textColumn(items.map((r) => r.carrier_module)), textColumn(items.map((r) => r.first_at))],
  );
  const lastTotal = new Map<string, number>();
  const behind = new Set<string>();
  for (const { i, last_total, after_last } of last.rows) {
    if (after_last) lastTotal.set(items[i - 1].key, last_total ?? 0);
    else behind.add(items[i - 1].key);
  }
  await copyRows(tx, `${s}.billing_deltas`, DELTA_COLUMNS, rows.filter((r) => lastTotal.has(r.key)).map((r) => [
    r.account_id, r.item_kind, r.item, r.carrier_module, new Date(r.at), r.delta, lastTotal.get(r.key)! + r.cumulative,
  ]));
  return behind;
}

const DELTA_COLUMNS: Column[] = [
  { name: 'account_id', type: 'text' }, { name: 'item_kind', type: 'text' }, { name: 'item', type: 'text' },
  { name: 'carrier_module', type: 'text' }, { name: 'at', type: 'timestamptz' }, { name: 'delta', type: 'integer' }, { name: 'total', type: 'integer' },
];

/** Changes at or before an item's existing rows: the new instants, then every row they shift, then the rows that came back to zero. */
async function mergeIntoHistory(tx: SqlExecutor, s: string, json: string): Promise<void> {
  await tx.query(
    `${POINTS} INSERT INTO ${s}.billing_deltas (account_id, item_kind, item, carrier_module, at, delta, total)
     SELECT p.account_id, p.item_kind, p.item, p.carrier_module, p.at, 0,
            COALESCE((SELECT d.total FROM ${s}.billing_deltas d WHERE ${SAME_ITEM} AND d.at < p.at ORDER BY d.at DESC LIMIT 1), 0)
     FROM p ON CONFLICT DO NOTHING`,
    [json],
  );
  await tx.query(
    `${POINTS}, hit AS (${rowsOf(s, 'd.at >= p.at AND (p.next_at IS NULL OR d.at < p.next_at)', 'CASE WHEN d.at = p.at THEN p.delta ELSE 0 END AS add_delta, p.cumulative')})
     UPDATE ${s}.billing_deltas d SET delta = d.delta + hit.add_delta, total = d.total + hit.cumulative
     FROM hit WHERE d.ctid = hit.row_id`,
    [json],
  );
  await tx.query(
    `${POINTS}, hit AS (${rowsOf(s, 'd.at = p.at AND d.delta = 0', '1')})
     DELETE FROM ${s}.billing_deltas d USING hit WHERE d.ctid = hit.row_id`,
    [json],
  );
}

// Instants converted exactly as billing_intervals' valid_from / valid_to, so both tables agree to the microsecond.
const POINTS = `WITH p AS (
  SELECT x.account_id, x.item_kind, x.item, x.carrier_module, to_timestamp(x.at / 1000.0) AS at,
         x.delta, x.cumulative, to_timestamp(x.next_at / 1000.0) AS next_at
  FROM jsonb_to_recordset($1::jsonb) AS x(account_id text, item_kind text, item text, carrier_module text, at float8, delta int, cumulative int, next_at float8))`;

const SAME_ITEM = 'd.account_id = p.account_id AND d.item_kind = p.item_kind AND d.item = p.item AND d.carrier_module = p.carrier_module';

/**
 * The rows of each point's item matching `where`, found through the primary key one point
 * at a time. (A plain join of the points with the table hashes on the item, so every batch
 * would compare every point with every row of a busy account's item; OFFSET 0 keeps the
 * lateral scan parameterized.)
 */
function rowsOf(s: string, where: string, columns: string): string {
  return `SELECT m.ctid AS row_id, m.* FROM p CROSS JOIN LATERAL (
      SELECT d.ctid, ${columns} FROM ${s}.billing_deltas d WHERE ${SAME_ITEM} AND ${where} OFFSET 0) m`;
}

export function billingDeltasDdl(s: string): string {
  return `
    CREATE TABLE IF NOT EXISTS ${s}.billing_deltas (
      account_id text NOT NULL,
      item_kind text NOT NULL,
      item text NOT NULL,
      carrier_module text NOT NULL,
      at timestamptz NOT NULL,
      delta integer NOT NULL,
      total integer NOT NULL,
      PRIMARY KEY (account_id, item_kind, item, carrier_module, at)
    );
  `;
}

/**
 * Fills an empty `billing_deltas` from `billing_intervals` (a database made
 * before the table existed, or a bulk-loaded one): the same rows the
 * projection writes.
 */
export function backfillBillingDeltasSql(s: string): string {
  return `
    INSERT INTO ${s}.billing_deltas (account_id, item_kind, item, carrier_module, at, delta, total)
    SELECT account_id, item_kind, item, carrier_module, at, delta,
           sum(delta) OVER (PARTITION BY account_id, item_kind, item, carrier_module ORDER BY at)
    FROM (
      SELECT i.account_id, k.item_kind, k.item, k.carrier_module, e.at, sum(e.delta)::int AS delta
      FROM ${s}.billing_intervals i
      CROSS JOIN LATERAL (VALUES (i.valid_from, 1), (i.valid_to, -1)) AS e(at, delta)
      CROSS JOIN LATERAL (
        SELECT 'phone_numbers', i.classification, i.carrier_module
        UNION ALL SELECT 'number_carriers', i.carrier_module, ''
        UNION ALL SELECT 'number_services', f, '' FROM unnest(i.features) AS f
      ) AS k(item_kind, item, carrier_module)
      WHERE e.at IS NOT NULL
      GROUP BY 1, 2, 3, 4, 5
      HAVING sum(e.delta) <> 0
    ) AS changes
    WHERE NOT EXISTS (SELECT 1 FROM ${s}.billing_deltas);
  `;
}
