import { canRead } from '../../authorization';
import { usageInLineage } from '../../tenancy/service-numbers';
import { evolve } from '../evolve';
import { instant } from './common';
import { LedgerError } from '../../errors';
import type { DecisionContext, NumberCommand, NumberEvent, NumberRecord } from '../../types';
import { checkNumberCommand } from '../../validation/number-command-input';
import { decideAcquire } from './acquire-number';
import { decideAdd } from './add-number';
import { decideAge } from './age-number';
import { decideDelete } from './delete-number';
import { decideDiscover, decideExpireDiscovery } from './discovery';
import { decidePortIn } from './port-in';
import { decideRelease } from './release-number';
import { decideReserve } from './reserve-number';
import { decideSetFeatures } from './set-features';
import { decideSetUsage } from './set-usage';
import { decideSettleOrder, refuseWhilePending } from './pending-order';

/**
 * Decides the events a command produces on one number, or throws a
 * `LedgerError` with a SPEC section 10 code. Pure: the instant, requester,
 * account tree and config all come from `ctx`.
 *
 * Choices where SPEC.md is silent or open (see each command's file for its rules):
 * - Order of checks: not_found, then state (invalid_state_transition /
 *   number_exists), then authorization, then targets (assign_failure), as the
 *   release pipeline orders them.
 * - A `deleted` number behaves as not existing: every command except the
 *   creations (AddNumber, PortIn, DiscoverNumber) is `not_found` on it, and
 *   the creations start a fresh record on the same stream (history kept).
 * - Reserve / acquire / port-in / add without `accountId` use the requester's
 *   account; the system has no implicit account (assign_failure), except that
 *   reserving an already reserved number without naming an account is
 *   `unauthorized` (SPEC 2 row "reserved | reserved").
 * - Unknown accounts (not in `ctx.accounts`) are `assign_failure`.
 * - Beyond SPEC 2, a non-admin may only assign a number to an account of its
 *   own subtree, and knm_managed numbers only within their pool's subtree.
 * - Moving a number away from its holder (to another account or to nobody)
 *   clears its usage and its features; taking an unassigned number keeps them
 *   (subject to the feature lifetime of SPEC 5), except the usage of services
 *   outside the taker's lineage, dropped in the same decision (SPEC 12).
 * - No-ops return no events: acquiring a number one already holds, porting in
 *   for the same account, unchanged features or usage.
 * - `number_is_porting`: creating or porting in a number that is in `port_in`
 *   for an account the requester does not act for.
 * - Sweeper commands (AgeNumber, ExpireDiscovery, ReleaseNumber with reason
 *   `reservation_expired`) are system only.
 * - knm_mdn numbers refuse every move to a state other than in_service, but
 *   may be released (which deletes them) and deleted.
 * - Every value the command would record is checked first (`checkNumberCommand`,
 *   SPEC 12): a value no read model could hold is `validation_failed` before any rule.
 * - A number whose carrier order is pending (`pendingOrder`) takes only
 *   SettleOrder: the carrier's answer decides before anything else may.
 * - `service_restriction` (402) needs account-wide counts, so it is left to the
 *   application layer, which sees all numbers of an account.
 */
export function decide(e164: string, command: NumberCommand, state: NumberRecord, ctx: DecisionContext): NumberEvent[] {
  checkNumberCommand(command);
  let events: NumberEvent[];
  try {
    refuseWhilePending(state, command.type);
    events = decideCommand(e164, command, state, ctx);
  } catch (err) {
    throw refusalInView(err, e164, command, state, ctx);
  }
  return withUsageInLineage(state, events, ctx);
}

/**
 * SPEC 12: a number taken by an account (acquired, reserved, moved) keeps only the usage of
 * services in the new owner's lineage; the others' go in the same decision (NumberUsageSet).
 */
function withUsageInLineage(state: NumberRecord, events: NumberEvent[], ctx: DecisionContext): NumberEvent[] {
  // Only SetUsage brings usage in (already kept to the lineage): a number without usage keeps none to drop.
  if (events.length === 0 || state.usedBy.length === 0) return events;
  const after = events.reduce(evolve, state);
  if (!after.exists) return events;
  const kept = usageInLineage(ctx.accounts, after, after.usedBy);
  if (kept.length === after.usedBy.length) return events;
  return [...events, { type: 'NumberUsageSet.v1', at: instant(ctx), usedBy: kept }];
}

/** SPEC 12: a refusal says what was refused, not what state a number the requester may not read is in. */
const GENERIC_REFUSALS: readonly string[] = ['unauthorized', 'invalid_state_transition'];

function refusalInView(err: unknown, e164: string, command: NumberCommand, state: NumberRecord, ctx: DecisionContext): unknown {
  if (!(err instanceof LedgerError) || !GENERIC_REFUSALS.includes(err.code) || !state.exists || canRead(state, ctx)) return err;
  return new LedgerError(err.code, `you may not ${command.type.replace(/Number$/, '').replace(/[A-Z]/g, (c, i: number) => (i ? ' ' : '') + c.toLowerCase())} ${e164}`, { number: e164 });
}

function decideCommand(e164: string, command: NumberCommand, state: NumberRecord, ctx: DecisionContext): NumberEvent[] {
  switch (command.type) {
    case 'AddNumber': return decideAdd(e164, command, state, ctx);
    case 'PortIn': return decidePortIn(e164, command, state, ctx);
    case 'DiscoverNumber': return decideDiscover(e164, command, state, ctx);
    case 'ReserveNumber': return decideReserve(e164, command, state, ctx);
    case 'AcquireNumber': return decideAcquire(e164, command, state, ctx);
    case 'ReleaseNumber': return decideRelease(e164, command, state, ctx);
    case 'AgeNumber': return decideAge(e164, command, state, ctx);
    case 'DeleteNumber': return decideDelete(e164, command, state, ctx);
    case 'SetFeatures': return decideSetFeatures(e164, command, state, ctx);
    case 'ExpireDiscovery': return decideExpireDiscovery(e164, command, state, ctx);
    case 'SetUsage': return decideSetUsage(e164, command, state, ctx);
    case 'SettleOrder': return decideSettleOrder(e164, command, state, ctx);
    default: {
      const unknown: never = command;
      throw new LedgerError('validation_failed', `unknown command: ${(unknown as { type?: string }).type}`);
    }
  }
}

export { decideAcquire, decideAdd, decideAge, decideDelete, decideDiscover, decideExpireDiscovery, decidePortIn, decideRelease, decideReserve, decideSetFeatures, decideSetUsage };
export { decideSettleOrder, holdUntilConfirmed, refuseWhilePending, withDisconnectAnswer } from './pending-order';
export { ACCOUNT_CREATE_STATES, ADMIN_CREATE_STATES, HELD_STATES, RECREATE_FROM } from './add-number';
