import { isIntegrationModule, type OrderCheck } from '@ledger/carriers';
import { SYSTEM_ACCOUNT_ID } from '@ledger/domain/account/events';
import type { PendingOrder } from '@ledger/domain/types';
import { InventoryQueries } from '@ledger/projections/inventory/queries';
import type { LedgerRuntime } from '../ledger-runtime';

const BATCH = 200;

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
export async function settlePendingOrders(runtime: LedgerRuntime, schema: string): Promise<SettlementReport> {
  const report: SettlementReport = { ordersConfirmed: 0, ordersFailed: 0, ordersPending: 0 };
  let after = '';
  for (;;) {
    const due = await new InventoryQueries(runtime.stores.sql, schema).pendingOrders(after, BATCH);
    for (const row of due) await settleOne(runtime, row.number, row.pending_order, report);
    if (due.length < BATCH) return report;
    after = due[due.length - 1].number;
  }
}

async function settleOne(runtime: LedgerRuntime, number: string, pending: PendingOrder, report: SettlementReport): Promise<void> {
  let answer: OrderCheck;
  try {
    if (!isIntegrationModule(pending.module)) throw new Error(`${pending.module} takes no orders`);
    const client = await runtime.carriers.clientFor(pending.module, pending.accountId);
    if (!client.orderStatus) throw new Error(`${pending.module} cannot be asked about an order`);
    answer = await client.orderStatus(number, pending.orderId);
  } catch (err) {
    runtime.carriers.logger.warn({ module: pending.module, number, err: String(err) }, 'pending order: the carrier could not be asked');
    report.ordersPending++;
    return;
  }
  if (answer.status === 'pending') {
    report.ordersPending++;
    return;
  }
  try {
    await runtime.runner.run(number, {
      type: 'SettleOrder', outcome: answer.status === 'complete' ? 'confirmed' : 'failed', orderId: pending.orderId,
      reason: answer.status === 'failed' ? answer.reason : undefined,
    }, { requester: { accountId: SYSTEM_ACCOUNT_ID, isSystem: true }, correlationId: 'sweep-orders' });
    if (answer.status === 'complete') report.ordersConfirmed++;
    else report.ordersFailed++;
  } catch {
    report.ordersPending++; // settled meanwhile (the read model lagged): the next pass sees the truth
  }
}
