import { isBillable } from '../../../../libs/domain/src/carrier-policy';
import { CARRIER_MODULES, NumberManagerConfig } from '../../../../libs/domain/src/types';
import { SqlExecutor } from '../../../../libs/sql/src/sql-client';

/** SPEC 6 quantities of one account (or a subtree), by classification, feature and carrier module. */
export interface Quantities {
  phone_numbers: Record<string, number>;
  number_services: Record<string, number>;
  number_carriers: Record<string, number>;
}

/** `now`: the current spans; an instant: spans covering it; a period: number-days over [from, to). */
export type BillingWhen = { kind: 'now' } | { kind: 'asOf'; at: Date } | { kind: 'period'; from: Date; to: Date };

interface GroupRow {
  account_id: string;
  classification: string;
  carrier_module: string;
  features: string[];
  amount: string | number;
}

const empty = (): Quantities => ({ phone_numbers: {}, number_services: {}, number_carriers: {} });

/**
 * Quantities per account of `accounts` from `billing_intervals`. Counts for an
 * instant; number-days (fractional, to the millisecond) for a period. Local
 * and other non-billable carrier modules are left out of `phone_numbers` only.
 */
export async function quantitiesByAccount(
  sql: SqlExecutor, s: string, accounts: string[], when: BillingWhen, config: Pick<NumberManagerConfig, 'billInventoryNumbers'>,
): Promise<Map<string, Quantities>> {
  const r = await sql.query<GroupRow>(
    `SELECT account_id, classification, carrier_module, features, ${amount(when)} AS amount
     FROM ${s}.billing_intervals
     WHERE account_id = ANY($1::text[]) AND ${during(when)}
     GROUP BY account_id, classification, carrier_module, features`,
    [accounts, ...params(when)],
  );
  const billable = new Set(CARRIER_MODULES.filter((m) => isBillable(m, config)));
  const result = new Map<string, Quantities>(accounts.map((a) => [a, empty()]));
  for (const row of r.rows) {
    const q = result.get(row.account_id)!;
    const n = Number(row.amount);
    if (billable.has(row.carrier_module as (typeof CARRIER_MODULES)[number])) add(q.phone_numbers, row.classification, n);
    for (const f of row.features) add(q.number_services, f, n);
    add(q.number_carriers, row.carrier_module, n);
  }
  return result;
}

/** The sum of several accounts' quantities (a reseller's cascade). */
export function sumQuantities(all: Iterable<Quantities>): Quantities {
  const total = empty();
  for (const q of all) {
    for (const key of Object.keys(total) as Array<keyof Quantities>) {
      for (const [item, n] of Object.entries(q[key])) add(total[key], item, n);
    }
  }
  return total;
}

function add(into: Record<string, number>, key: string, n: number): void {
  into[key] = (into[key] ?? 0) + n;
}

function amount(when: BillingWhen): string {
  if (when.kind !== 'period') return 'count(*)';
  return `sum(extract(epoch FROM (LEAST(COALESCE(valid_to, $3), $3) - GREATEST(valid_from, $2)))) / 86400.0`;
}

function during(when: BillingWhen): string {
  if (when.kind === 'now') return 'valid_to IS NULL';
  if (when.kind === 'asOf') return 'valid_from <= $2 AND (valid_to IS NULL OR valid_to > $2)';
  return 'valid_from < $3 AND (valid_to IS NULL OR valid_to > $2)';
}

function params(when: BillingWhen): unknown[] {
  if (when.kind === 'now') return [];
  if (when.kind === 'asOf') return [when.at.toISOString()];
  return [when.from.toISOString(), when.to.toISOString()];
}
