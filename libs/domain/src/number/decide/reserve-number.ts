import { authorize, authorizeTarget } from '../../authorization';
import { LedgerError } from '../../errors';
import { parseInstant } from '../../time';
import type { DecisionContext, NumberEvent, NumberRecord, ReserveNumber } from '../../types';
import {
  assertModuleAllowsState, checkAssignment, featuresAfterMove, instant, invalidTransition, prevAssignedAfter,
  pushHistory, requireLive, resolveTarget,
} from './common';

/**
 * SPEC 2, rows "to reserved":
 * - from reserved: the request must name a different account than the holder
 *   (same: no_change_required; none: unauthorized); authorize; push history. The requester
 *   must act for the named account before it hears whether that is the holder (SPEC 12);
 * - from discovery: authorize; push history; order from the carrier;
 * - from available, in_service: authorize; push history.
 * `expiresAt`, when given, must be a future instant (validation_failed).
 */
export function decideReserve(e164: string, cmd: ReserveNumber, record: NumberRecord, ctx: DecisionContext): NumberEvent[] {
  requireLive(e164, record);
  assertModuleAllowsState(record, 'reserved');
  if (!['reserved', 'discovery', 'available', 'in_service'].includes(record.state)) throw invalidTransition(record, 'reserved');

  let expiresAt: string | null = null;
  if (cmd.expiresAt !== undefined && cmd.expiresAt !== null) {
    const d = parseInstant(cmd.expiresAt);
    if (!d) throw new LedgerError('validation_failed', `expiresAt is not an instant: ${String(cmd.expiresAt)}`, { field: 'expiresAt' });
    if (d.getTime() <= ctx.now.getTime()) {
      throw new LedgerError('validation_failed', 'expiresAt must be in the future', { field: 'expiresAt' });
    }
    expiresAt = d.toISOString();
  }

  if (record.state === 'reserved') {
    const named = cmd.accountId ?? (ctx.requester.isSystem ? undefined : ctx.requester.accountId);
    if (!named) throw new LedgerError('unauthorized', 'reserving a reserved number requires naming the account');
    authorizeTarget(ctx, named);
    if (named === record.assignedTo) {
      throw new LedgerError('no_change_required', `number ${e164} is already reserved for ${named}`, { number: e164, accountId: named });
    }
  }

  const target = resolveTarget(cmd.accountId, ctx);
  authorize(ctx, record.assignedTo, target, `reserve number ${e164}`);
  checkAssignment(record, target, ctx);

  return [{
    type: 'NumberReserved.v1',
    at: instant(ctx),
    from: record.state,
    accountId: target,
    prevAssignedTo: prevAssignedAfter(record, target),
    reserveHistory: pushHistory(record.reserveHistory, target),
    expiresAt,
    orderFromCarrier: record.state === 'discovery',
    features: featuresAfterMove(record, 'reserved', target),
  }];
}
