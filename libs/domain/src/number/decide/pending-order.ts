import { LedgerError } from '../../errors';
import type {
  DecisionContext, NumberAcquired, NumberEvent, NumberRecord, NumberReserved, SettleOrder, UpstreamDisconnect,
} from '../../types';
import { instant, invalidTransition, requireLive } from './common';

/** Commands a number with a pending order still takes: only the carrier's answer. */
const WHILE_PENDING: ReadonlyArray<string> = ['SettleOrder'];

/** A number whose purchase the carrier has not confirmed takes no command but SettleOrder. */
export function refuseWhilePending(record: NumberRecord, commandType: string): void {
  const pending = record.pendingOrder;
  if (!pending || WHILE_PENDING.includes(commandType)) return;
  throw new LedgerError(
    'invalid_state_transition',
    `the order of ${record.number} from ${pending.module} is not confirmed yet (since ${pending.since})`,
    { number: record.number, from: record.state, pendingOrder: { module: pending.module, orderId: pending.orderId, since: pending.since } },
  );
}

const orderedFromCarrier = (e: NumberEvent): e is NumberReserved | NumberAcquired =>
  (e.type === 'NumberReserved.v1' || e.type === 'NumberAcquired.v1') && e.orderFromCarrier;

/**
 * The carrier took the order but has not confirmed it within the module's
 * polling bound: instead of the reservation or acquisition, record that the
 * order is pending; confirmation records the decided event later.
 */
export function holdUntilConfirmed(
  record: NumberRecord,
  decided: NumberEvent[],
  order: { orderId: string | null },
): NumberEvent[] {
  return decided.map((event) => orderedFromCarrier(event)
    ? {
      type: 'NumberOrderPending.v1' as const,
      at: event.at,
      module: record.carrierModule,
      orderId: order.orderId,
      accountId: event.accountId,
      then: event,
    }
    : event);
}

/** Puts the carrier's answer to a disconnect on the release or deletion that asked for it. */
export function withDisconnectAnswer(decided: NumberEvent[], answer: UpstreamDisconnect): NumberEvent[] {
  return decided.map((event) => (event.type === 'NumberReleased.v1' || event.type === 'NumberDeleted.v1') && event.disconnectFromCarrier
    ? { ...event, upstream: answer }
    : event);
}

/**
 * SettleOrder (system only, the sweeper following the carrier): on a number
 * with a pending order of that id, `confirmed` records the confirmation and
 * then the reservation or acquisition decided when ordering (no second order);
 * `failed` records why and the number leaves the account and the inventory.
 */
export function decideSettleOrder(e164: string, cmd: SettleOrder, record: NumberRecord, ctx: DecisionContext): NumberEvent[] {
  requireLive(e164, record);
  if (!ctx.requester.isSystem) throw new LedgerError('unauthorized', 'only the system settles carrier orders');
  const pending = record.pendingOrder;
  if (!pending) throw invalidTransition(record, cmd.outcome === 'confirmed' ? pendingTarget(record) : 'deleted', 'no order is pending');
  if (pending.orderId !== cmd.orderId) {
    throw invalidTransition(record, 'settled', `the pending order is ${pending.orderId ?? 'unnamed'}, not ${cmd.orderId ?? 'unnamed'}`);
  }
  const at = instant(ctx);
  if (cmd.outcome === 'failed') {
    return [{ type: 'NumberOrderFailed.v1', at, orderId: pending.orderId, accountId: pending.accountId, reason: cmd.reason ?? 'the carrier failed the order' }];
  }
  return [
    { type: 'NumberOrderConfirmed.v1', at, orderId: pending.orderId, accountId: pending.accountId },
    { ...pending.then, at, orderFromCarrier: false },
  ];
}

const pendingTarget = (record: NumberRecord): string =>
  record.pendingOrder?.then.type === 'NumberReserved.v1' ? 'reserved' : 'in_service';
