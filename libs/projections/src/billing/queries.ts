import { SqlExecutor } from '@ledger/sql/sql-client';
import { ItemKind } from './billing-deltas';

/** One account's running total of one item at an instant. */
export interface BillingTotalRow {
  account_id: string;
  item_kind: ItemKind;
  item: string;
  carrier_module: string;
  total: number;
}

/** Number-days of one account over a period, per what billing looks at. */
export interface NumberDaysRow {
  account_id: string;
  classification: string;
  carrier_module: string;
  features: string[];
  amount: string | number;
}

/** Read side of the `billing` read model (SPEC 6 quantities). */
export class BillingQueries {
  constructor(private readonly sql: SqlExecutor, private readonly schema: string) {}

  /** The accounts' non-zero running totals as of `at` (an ISO instant or 'infinity'), from `billing_deltas`. */
  async totalsAsOf(accounts: string[], at: string): Promise<BillingTotalRow[]> {
    const s = this.schema;
    const r = await this.sql.query<BillingTotalRow>(totalsAsOfSql(s), [accounts, at], `billing-totals-as-of-${s}`);
    return r.rows;
  }

  /** Number-days over [from, to): each span's overlap with the period, in days, from `billing_intervals`. */
  async numberDays(accounts: string[], from: Date, to: Date): Promise<NumberDaysRow[]> {
    const r = await this.sql.query<NumberDaysRow>(
      `SELECT account_id, classification, carrier_module, features,
            sum(extract(epoch FROM (LEAST(COALESCE(valid_to, $3), $3) - GREATEST(valid_from, $2)))) / 86400.0 AS amount
     FROM ${this.schema}.billing_intervals
     WHERE account_id = ANY($1::text[]) AND valid_from < $3 AND (valid_to IS NULL OR valid_to > $2)
     GROUP BY account_id, classification, carrier_module, features`,
      [accounts, from.toISOString(), to.toISOString()],
    );
    return r.rows;
  }
}

/**
 * Per account, each item it ever had (a skip scan of the primary key: one
 * index descent per item), then that item's latest running total at or
 * before the instant.
 */
export function totalsAsOfSql(s: string): string {
  return `
    WITH RECURSIVE item AS (
      SELECT f.* FROM unnest($1::text[]) AS a(id)
      CROSS JOIN LATERAL (
        SELECT d.account_id, d.item_kind, d.item, d.carrier_module FROM ${s}.billing_deltas d
        WHERE d.account_id = a.id ORDER BY d.item_kind, d.item, d.carrier_module LIMIT 1) AS f
      UNION ALL
      SELECT n.* FROM item i
      CROSS JOIN LATERAL (
        SELECT d.account_id, d.item_kind, d.item, d.carrier_module FROM ${s}.billing_deltas d
        WHERE d.account_id = i.account_id AND (d.item_kind, d.item, d.carrier_module) > (i.item_kind, i.item, i.carrier_module)
        ORDER BY d.item_kind, d.item, d.carrier_module LIMIT 1) AS n
    )
    SELECT i.account_id, i.item_kind, i.item, i.carrier_module, t.total
    FROM item i
    CROSS JOIN LATERAL (
      SELECT d.total FROM ${s}.billing_deltas d
      WHERE d.account_id = i.account_id AND d.item_kind = i.item_kind AND d.item = i.item AND d.carrier_module = i.carrier_module
        AND d.at <= $2::timestamptz
      ORDER BY d.at DESC LIMIT 1) AS t
    WHERE t.total <> 0`;
}
