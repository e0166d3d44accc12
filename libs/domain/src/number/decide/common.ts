import { authorizeTarget, canRead, isAdmin } from '../../authorization';
import { carrierPolicy } from '../../carrier-policy';
import { LedgerError } from '../../errors';
import { isLive } from '../evolve';
import { featuresForState } from '../../features';
import { isNormalizedE164 } from '../../normalize';
import type { DecisionContext, NumberRecord, NumberState } from '../../types';

export const instant = (ctx: DecisionContext): string => ctx.now.toISOString();

/** Commands other than creations need a live (existing, not deleted) number. */
export function requireLive(e164: string, record: NumberRecord): void {
  if (!isLive(record)) throw new LedgerError('not_found', `number ${e164} not found`, { number: e164 });
}

export function invalidTransition(record: NumberRecord, to: string, why?: string): LedgerError {
  return new LedgerError(
    'invalid_state_transition',
    `cannot move ${record.number} from ${record.state} to ${to}${why ? `: ${why}` : ''}`,
    { number: record.number, from: record.state, to },
  );
}

/** knm_mdn numbers may only ever be in_service (SPEC 2, SPEC 4). */
export function assertModuleAllowsState(record: NumberRecord, to: NumberState): void {
  const allowed = carrierPolicy(record.carrierModule).allowedStates;
  if (allowed && !allowed.includes(to)) {
    throw invalidTransition(record, to, `${record.carrierModule} numbers may only be ${allowed.filter((s) => s !== 'deleted').join(', ')}`);
  }
}

/**
 * The account a command assigns the number to: the command's, else the
 * requester's own account (the system has no default: it must name one).
 * Missing or unknown: `assign_failure`.
 */
export function resolveTarget(accountId: string | undefined, ctx: DecisionContext): string {
  const target = accountId ?? (ctx.requester.isSystem ? undefined : ctx.requester.accountId);
  if (!target) throw new LedgerError('assign_failure', 'an account to assign the number to is required', { field: 'accountId' });
  if (!ctx.accounts.get(target)) {
    throw new LedgerError('assign_failure', `account ${target} does not exist`, { field: 'accountId', accountId: target });
  }
  return target;
}

/** Target checks common to every assignment: the requester acts for it, and pools (managed, SPEC 4; a reseller's discoveries, SPEC 12; admins exempt). */
export function checkAssignment(record: NumberRecord, target: string, ctx: DecisionContext): void {
  authorizeTarget(ctx, target);
  const pool = record.poolAccountId ?? null;
  if (pool !== null && !isAdmin(ctx) && !ctx.accounts.isAncestor(pool, target)) {
    throw new LedgerError('unauthorized', `number ${record.number} belongs to another account's pool`, { number: record.number });
  }
}

/** Pushes `accountId` on the reservation history unless it is already the head (SPEC 2). */
export function pushHistory(history: string[], accountId: string): string[] {
  return history[0] === accountId ? [...history] : [accountId, ...history];
}

/** prevAssignedTo after a move to `holder`: the old holder when it changes (SPEC 2). */
export function prevAssignedAfter(record: NumberRecord, holder: string | null): string | null {
  return record.assignedTo !== null && record.assignedTo !== holder ? record.assignedTo : record.prevAssignedTo;
}

/**
 * Features after a move (SPEC 5 lifetime). A change of holder drops them all:
 * an emergency address or caller name set by one tenant must not follow the
 * number to another.
 */
export function featuresAfterMove(record: NumberRecord, to: NumberState, holder: string | null): NumberRecord['features'] {
  if (record.assignedTo !== null && record.assignedTo !== holder) return {};
  return featuresForState(record.features, to);
}

/** Creations take a normalized E.164 number (`not_reconcilable` otherwise). */
export function assertE164(e164: string): void {
  if (!isNormalizedE164(e164)) {
    throw new LedgerError('not_reconcilable', `${JSON.stringify(e164)} is not a normalized E.164 number`, { number: e164 });
  }
}

/** `number_exists`, naming the state only to a requester who may read the number (SPEC 12: nothing of a foreign number). */
export function numberExists(record: NumberRecord, ctx: DecisionContext): LedgerError {
  if (!canRead(record, ctx)) return new LedgerError('number_exists', `number ${record.number} exists already`, { number: record.number });
  return new LedgerError('number_exists', `number ${record.number} exists already (${record.state})`, { number: record.number, state: record.state });
}
