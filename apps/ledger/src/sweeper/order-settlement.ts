import { isIntegrationModule, type OrderCheck } from '@ledger/carriers';
import { SYSTEM_ACCOUNT_ID } from '@ledger/domain/account/events';
import type { PendingOrder } from '@ledger/domain/types';
import { InventoryQueries } from '@ledger/projections/inventory/queries';
import type { SqlClient } from '@ledger/sql/sql-client';
import type { CarrierDirectory } from '../carriers/carrier-directory';
import type { NumberCommandRunner } from '../numbers/command-runner/number-command-runner';

const BATCH = 200;

/** What settling reads (the inventory), asks (the carriers) and runs (SettleOrder). */
export interface SettlementDeps {
  sql: SqlClient;
  carriers: CarrierDirectory;
  runner: NumberCommandRunner;
}

export interface SettlementReport {
  ordersConfirmed: number;
  ordersFailed: number;
  /** Still pending at the carrier, or the carrier could not be asked: asked again next pass. */
  ordersPending: number;
}

/**
 * Asks each carrier about the orders it took without confirming them, and
 * records its answer (SettleOrder): confirmed orders become the reservation or
 * acquisition decided when ordering, failed ones leave the account saying why.
 */
export async function settlePendingOrders(deps: SettlementDeps, schema: string): Promise<SettlementReport> {
  const report: SettlementReport = { ordersConfirmed: 0, ordersFailed: 0, ordersPending: 0 };
  let after = '';
  for (;;) {
    const due = await new InventoryQueries(deps.sql, schema).pendingOrders(after, BATCH);
    for (const row of due) await settleOne(deps, row.number, row.pending_order, report);
    if (due.length < BATCH) return report;
    after = due[due.length - 1].number;
  }
}

async function settleOne(deps: SettlementDeps, number: string, pending: PendingOrder, report: SettlementReport): Promise<void> {
  let answer: OrderCheck;
  try {
    if (!isIntegrationModule(pending.module)) throw new Error(`${pending.module} takes no orders`);
    const client = await deps.carriers.clientFor(pending.module, pending.accountId);
    if (!client.orderStatus) throw new Error(`${pending.module} cannot be asked about an order`);
    answer = await client.orderStatus(number, pending.orderId);
  } catch (err) {
    deps.carriers.logger.warn({ module: pending.module, number, err: String(err) }, 'pending order: the carrier could not be asked');
    report.ordersPending++;
    return;
  }
  if (answer.status === 'pending') {
    report.ordersPending++;
    return;
  }
  try {
    await deps.runner.run(number, {
      type: 'SettleOrder', outcome: answer.status === 'complete' ? 'confirmed' : 'failed', orderId: pending.orderId,
      reason: answer.status === 'failed' ? answer.reason : undefined,
    }, { requester: { accountId: SYSTEM_ACCOUNT_ID, isSystem: true }, correlationId: 'sweep-orders' });
    if (answer.status === 'complete') report.ordersConfirmed++;
    else report.ordersFailed++;
  } catch {
    report.ordersPending++; // settled meanwhile (the read model lagged): the next pass sees the truth
  }
}
