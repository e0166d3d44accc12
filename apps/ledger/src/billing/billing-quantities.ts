import { isBillable } from '@ledger/domain/carrier-policy';
import { CARRIER_MODULES, NumberManagerConfig } from '@ledger/domain/types';
import { BillingQueries } from '@ledger/projections/billing/queries';
import { SqlExecutor } from '@ledger/sql/sql-client';
import { ConfigSpan, configFor, periodsByConfig } from './billing-config-history';
import type { BillingWhen } from './billing-when';

/** SPEC 6 quantities of one account (or a subtree), by classification, feature and carrier module. */
export interface Quantities {
  phone_numbers: Record<string, number>;
  number_services: Record<string, number>;
  number_carriers: Record<string, number>;
}

const empty = (): Quantities => ({ phone_numbers: {}, number_services: {}, number_carriers: {} });

/**
 * Quantities per account of `accounts`: counts for an instant from the running
 * totals of `billing_deltas`; number-days (fractional, to the millisecond) for
 * a period from `billing_intervals`. Local and other non-billable carrier
 * modules are left out of `phone_numbers` only.
 */
export async function quantitiesByAccount(
  sql: SqlExecutor, s: string, accounts: string[], when: BillingWhen, configs: ConfigSpan[],
): Promise<Map<string, Quantities>> {
  if (when.kind === 'period') {
    // Each part of the period with the configuration then in force (SPEC 6).
    const parts = await Promise.all(periodsByConfig(configs, when.from, when.to).map((part) =>
      numberDaysByAccount(sql, s, accounts, part, billableModules(part.config))));
    return new Map(accounts.map((a) => [a, sumQuantities(parts.map((p) => p.get(a)!))]));
  }
  const billable = billableModules(configFor(configs, when));
  const at = when.kind === 'now' ? 'infinity' : when.at.toISOString();
  const rows = await new BillingQueries(sql, s).totalsAsOf(accounts, at);
  const result = new Map<string, Quantities>(accounts.map((a) => [a, empty()]));
  for (const row of rows) {
    if (row.item_kind === 'phone_numbers' && !billable.has(row.carrier_module)) continue;
    add(result.get(row.account_id)![row.item_kind], row.item, Number(row.total));
  }
  return result;
}

function billableModules(config: Pick<NumberManagerConfig, 'billInventoryNumbers'>): Set<string> {
  return new Set<string>(CARRIER_MODULES.filter((m) => isBillable(m, config)));
}

/** Number-days over [from, to): each span's overlap with the period, in days. */
async function numberDaysByAccount(
  sql: SqlExecutor, s: string, accounts: string[], { from, to }: { from: Date; to: Date }, billable: Set<string>,
): Promise<Map<string, Quantities>> {
  const rows = await new BillingQueries(sql, s).numberDays(accounts, from, to);
  const result = new Map<string, Quantities>(accounts.map((a) => [a, empty()]));
  for (const row of rows) {
    const q = result.get(row.account_id)!;
    const n = Number(row.amount);
    if (billable.has(row.carrier_module)) add(q.phone_numbers, row.classification, n);
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
