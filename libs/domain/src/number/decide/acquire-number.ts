import { authorize, authorizeTarget, isAuthorized } from '../../authorization';
import { LedgerError } from '../../errors';
import type { AcquireNumber, DecisionContext, NumberEvent, NumberRecord, NumberState } from '../../types';
import {
  assertModuleAllowsState, checkAssignment, featuresAfterMove, instant, invalidTransition, prevAssignedAfter,
  requireLive, resolveTarget,
} from './common';

const ACQUIRABLE_FROM: readonly NumberState[] = ['in_service', 'discovery', 'port_in', 'available', 'aging', 'reserved'];

/**
 * SPEC 2, rows "to in_service":
 * - from in_service: same account is a no-op success (no events); otherwise authorize and move;
 * - from discovery: authorize; order from the carrier;
 * - from port_in: authorize;
 * - from available, aging: no authorization against a holder (anyone may take it);
 * - from reserved: authorized, or the number is reserved by an ancestor of the requester.
 * In every case the requester must act for the target account (see `authorizeTarget`), checked
 * first: a no-op for a holder the requester does not act for would answer it the number (SPEC 12).
 */
export function decideAcquire(e164: string, cmd: AcquireNumber, record: NumberRecord, ctx: DecisionContext): NumberEvent[] {
  requireLive(e164, record);
  assertModuleAllowsState(record, 'in_service');
  if (!ACQUIRABLE_FROM.includes(record.state)) throw invalidTransition(record, 'in_service');
  const target = resolveTarget(cmd.accountId, ctx);
  authorizeTarget(ctx, target);

  switch (record.state) {
    case 'in_service':
      if (record.assignedTo === target) return [];
      authorize(ctx, record.assignedTo, target, `move number ${e164}`);
      break;
    case 'discovery':
    case 'port_in':
      authorize(ctx, record.assignedTo, target, `acquire number ${e164}`);
      break;
    case 'available':
    case 'aging':
      break;
    case 'reserved': {
      const fromAncestor = record.assignedTo !== null && !ctx.requester.isSystem
        && ctx.accounts.isAncestor(record.assignedTo, ctx.requester.accountId);
      if (!fromAncestor && !isAuthorized(ctx, record.assignedTo, target)) {
        throw new LedgerError('unauthorized', `number ${e164} is reserved for another account`, {
          number: e164, requester: ctx.requester.accountId,
        });
      }
      break;
    }
    default:
      throw invalidTransition(record, 'in_service');
  }
  checkAssignment(record, target, ctx);

  return [{
    type: 'NumberAcquired.v1',
    at: instant(ctx),
    from: record.state,
    accountId: target,
    prevAssignedTo: prevAssignedAfter(record, target),
    orderFromCarrier: record.state === 'discovery',
    features: featuresAfterMove(record, 'in_service', target),
  }];
}
