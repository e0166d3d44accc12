import { authorize } from '../../authorization';
import { carrierPolicy } from '../../carrier-policy';
import { LedgerError } from '../../errors';
import { addDays } from '../../time';
import type { DecisionContext, NumberEvent, NumberRecord, NumberState, ReleaseNumber } from '../../types';
import { instant, invalidTransition, requireLive } from './common';

const RELEASABLE_FROM: readonly NumberState[] = ['released', 'reserved', 'port_in', 'in_service'];

/**
 * SPEC 3, ReleaseNumber, in order:
 * 1. allowed from released, reserved, port_in, in_service; knm_local from any state;
 *    (reason `reservation_expired`: system only, and only a reserved number whose
 *    `reservationExpiresAt` has passed);
 * 2. authorize (against the holder; no holder: admins only);
 * 3. reset features (the local marker of local numbers is a read-only flag
 *    derived from the carrier policy, see `numberFlags`, so nothing is kept);
 * 4. unwind the reservation history: `[current, previous, ...]` goes back to
 *    `previous` as `reserved` (history loses its head; previous accounts that
 *    no longer exist are skipped); otherwise unassigned, history emptied;
 * 5. an unassigned number is disconnected from its carrier (integration
 *    modules), then: deleted when `shouldPermanentlyDelete`; deleted for
 *    knm_local/knm_mdn; `released` for knm_inum; else `releasedState`, or
 *    `aging` (agingUntil = now + agingPeriodDays) when `shouldAge`.
 */
export function decideRelease(e164: string, cmd: ReleaseNumber, record: NumberRecord, ctx: DecisionContext): NumberEvent[] {
  requireLive(e164, record);
  const reason = cmd.reason ?? 'requested';
  const policy = carrierPolicy(record.carrierModule);

  // 1. state
  if (record.carrierModule !== 'knm_local' && !RELEASABLE_FROM.includes(record.state)) {
    throw invalidTransition(record, 'released');
  }
  if (reason === 'reservation_expired') {
    if (!ctx.requester.isSystem) throw new LedgerError('unauthorized', 'only the system expires reservations');
    const due = record.reservationExpiresAt ? Date.parse(record.reservationExpiresAt) : NaN;
    if (record.state !== 'reserved' || Number.isNaN(due) || due > ctx.now.getTime()) {
      throw invalidTransition(record, 'released', 'the reservation has not expired');
    }
  }
  // 2. authorize
  authorize(ctx, record.assignedTo, null, `release number ${e164}`);
  // 3. reset features
  const features = {};
  // 4. unwind the reservation history
  const previous = record.reserveHistory.slice(1).filter((a) => ctx.accounts.get(a) !== undefined);
  const base = {
    type: 'NumberReleased.v1' as const,
    at: instant(ctx),
    from: record.state,
    prevAssignedTo: record.assignedTo ?? record.prevAssignedTo,
    features,
    reason,
  };
  if (previous.length > 0) {
    return [{
      ...base,
      state: 'reserved',
      assignedTo: previous[0],
      reserveHistory: previous,
      agingUntil: null,
      disconnectFromCarrier: false,
    }];
  }
  // 5. unassigned: disconnect, then delete / released / aging
  let state: NumberState;
  let agingUntil: string | null = null;
  if (ctx.config.shouldPermanentlyDelete || policy.onRelease === 'delete') {
    state = 'deleted';
  } else if (policy.onRelease === 'released') {
    state = 'released';
  } else if (ctx.config.shouldAge) {
    state = 'aging';
    agingUntil = addDays(ctx.now, ctx.config.agingPeriodDays);
  } else {
    state = ctx.config.releasedState;
  }
  return [{
    ...base,
    state,
    assignedTo: null,
    reserveHistory: [],
    agingUntil,
    disconnectFromCarrier: policy.integration,
  }];
}
