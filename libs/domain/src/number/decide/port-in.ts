import { authorizeTarget, isAuthorized } from '../../authorization';
import { LedgerError } from '../../errors';
import { isLive } from '../evolve';
import type { DecisionContext, NumberEvent, NumberRecord, PortIn } from '../../types';
import { assertE164, checkAssignment, featuresAfterMove, instant, numberExists, prevAssignedAfter, resolveTarget } from './common';

/**
 * PortIn: starts porting a number in for an account (anyone may, SPEC 3; the
 * requester must act for the target account).
 * - new or deleted number: created `port_in`, carrier module knm_local;
 * - `port_in` already: same account is a no-op; another account is a move
 *   ("port_in | port_in"), refused with `number_is_porting` unless the
 *   requester is authorized on the current holder;
 * - available / aging: re-created as `port_in` (SPEC 3 re-creation), module kept;
 * - any other state: number_exists.
 */
export function decidePortIn(e164: string, cmd: PortIn, record: NumberRecord, ctx: DecisionContext): NumberEvent[] {
  assertE164(e164);
  const live = isLive(record);
  if (live && !['port_in', 'available', 'aging'].includes(record.state)) {
    throw numberExists(record, ctx);
  }
  const target = resolveTarget(cmd.accountId, ctx);
  if (live) {
    if (record.state === 'port_in') {
      if (record.assignedTo === target) return [];
      if (!isAuthorized(ctx, record.assignedTo, target)) {
        throw new LedgerError('number_is_porting', `number ${e164} is being ported in for another account`, { number: e164 });
      }
    }
    checkAssignment(record, target, ctx);
  } else {
    authorizeTarget(ctx, target);
  }
  return [{
    type: 'NumberPortInStarted.v1',
    at: instant(ctx),
    from: live ? record.state : null,
    accountId: target,
    carrierModule: live ? record.carrierModule : 'knm_local',
    prevAssignedTo: live ? prevAssignedAfter(record, target) : null,
    features: live ? featuresAfterMove(record, 'port_in', target) : {},
  }];
}
