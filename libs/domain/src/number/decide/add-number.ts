import { isAdmin, isAuthorized } from '../../authorization';
import { carrierPolicy, parseCarrierModule } from '../../carrier-policy';
import { LedgerError } from '../../errors';
import { isLive } from '../evolve';
import { addDays } from '../../time';
import type { AddNumber, CarrierModule, DecisionContext, NumberEvent, NumberRecord, NumberState } from '../../types';
import {
  assertE164, checkAssignment, featuresAfterMove, instant, invalidTransition, numberExists, prevAssignedAfter, pushHistory, resolveTarget,
} from './common';

/** States an existing number may be (re)created from (SPEC 3). */
export const RECREATE_FROM: readonly NumberState[] = ['available', 'aging', 'port_in'];
/** Target states admins may create numbers in. */
export const ADMIN_CREATE_STATES: readonly NumberState[] = ['aging', 'available', 'in_service', 'port_in', 'reserved'];
/** Target states accounts with `allowNumberAdditions` may create numbers in (plus `port_in`, open to anyone). */
export const ACCOUNT_CREATE_STATES: readonly NumberState[] = ['in_service', 'reserved'];
/** States in which a number has a holder. */
export const HELD_STATES: readonly NumberState[] = ['in_service', 'reserved', 'port_in'];

/**
 * SPEC 3, AddNumber:
 * - an existing number may be (re)created only from available, aging or
 *   port_in (else number_exists); a pending port (port_in) held by an account
 *   the requester does not act for is `number_is_porting`; a deleted number
 *   is created afresh;
 * - who: admins; accounts with `allowNumberAdditions`; anyone for `port_in`;
 * - target state (default in_service): admins aging/available/in_service/
 *   port_in/reserved; allowNumberAdditions accounts in_service/reserved;
 *   any other state is invalid_state_transition for everybody;
 * - carrier module: given, else the existing one, else knm_local (also for
 *   ported-in numbers); knm_mdn only via `viaMdnEntry` (admins, in_service);
 *   knm_reserved* are not a source of numbers (validation_failed);
 *   non-admins may only add new knm_local numbers (the other modules are
 *   operator imports / generated / upstream) and may not change the module of
 *   an existing number (they may take an existing available/aging one, within
 *   its managed pool if any);
 * - holder (in_service/reserved/port_in): the given account, else the
 *   requester's (assign_failure when missing/unknown); the requester must act
 *   for it. available/aging numbers have no holder; for knm_managed the
 *   account names the pool instead (required).
 */
export function decideAdd(e164: string, cmd: AddNumber, record: NumberRecord, ctx: DecisionContext): NumberEvent[] {
  assertE164(e164);
  const admin = isAdmin(ctx);
  const live = isLive(record);
  const state: NumberState = cmd.state ?? 'in_service';

  if (live) {
    if (!RECREATE_FROM.includes(record.state)) {
      throw numberExists(record, ctx);
    }
    if (record.state === 'port_in' && !isAuthorized(ctx, record.assignedTo, null)) {
      throw new LedgerError('number_is_porting', `number ${e164} is being ported in for another account`, { number: e164 });
    }
  }

  if (!ADMIN_CREATE_STATES.includes(state)) throw invalidTransition(record, state, 'numbers cannot be created in this state');
  if (!admin && state !== 'port_in') {
    if (ctx.accounts.get(ctx.requester.accountId)?.allowNumberAdditions !== true) {
      throw new LedgerError('unauthorized', `account ${ctx.requester.accountId} may not add numbers`);
    }
    if (!ACCOUNT_CREATE_STATES.includes(state)) {
      throw new LedgerError('unauthorized', `account ${ctx.requester.accountId} may not create ${state} numbers`);
    }
  }

  const module = resolveModule(cmd, record, live);
  const policy = carrierPolicy(module);
  if (policy.creation === 'none') {
    throw new LedgerError('validation_failed', `${module} is a search provider, not a carrier module numbers can have`, { field: 'carrierModule' });
  }
  if (module === 'knm_mdn' || cmd.viaMdnEntry) {
    if (!cmd.viaMdnEntry) {
      throw new LedgerError('validation_failed', 'knm_mdn numbers are created only through the mobile-services entry', { field: 'carrierModule' });
    }
    if (module !== 'knm_mdn') {
      throw new LedgerError('validation_failed', 'the mobile-services entry creates knm_mdn numbers only', { field: 'carrierModule' });
    }
    if (!ctx.requester.isSystem) throw new LedgerError('unauthorized', 'only the system creates knm_mdn numbers');
    if (state !== 'in_service') throw invalidTransition(record, state, 'knm_mdn numbers are only ever in_service');
  }
  if (!admin && live && module !== record.carrierModule) {
    throw new LedgerError('unauthorized', 'only admins change the carrier module of a number', { field: 'carrierModule' });
  }
  if (!admin && !live && module !== 'knm_local') {
    throw new LedgerError('unauthorized', `only the operator adds ${module} numbers`, { field: 'carrierModule' });
  }

  let holder: string | null = null;
  let pool: string | null = policy.pool && live ? (record.poolAccountId ?? null) : null;
  if (HELD_STATES.includes(state)) {
    holder = resolveTarget(cmd.accountId, ctx);
    checkAssignment(record, holder, ctx);
    if (policy.pool) pool = pool ?? holder;
  } else if (policy.pool) {
    pool = resolveTarget(cmd.accountId ?? pool ?? undefined, ctx);
    checkAssignment(record, pool, ctx);
  }

  const baseHistory = live ? record.reserveHistory : [];
  return [{
    type: 'NumberAdded.v1',
    at: instant(ctx),
    number: e164,
    state,
    carrierModule: module,
    assignedTo: holder,
    reserveHistory: state === 'reserved' && holder ? pushHistory(baseHistory, holder) : [...baseHistory],
    agingUntil: state === 'aging' ? addDays(ctx.now, ctx.config.agingPeriodDays) : null,
    from: live ? record.state : null,
    prevAssignedTo: live ? prevAssignedAfter(record, holder) : null,
    features: live ? featuresAfterMove(record, state, holder) : {},
    poolAccountId: pool,
  }];
}

function resolveModule(cmd: AddNumber, record: NumberRecord, live: boolean): CarrierModule {
  if (cmd.carrierModule !== undefined) return parseCarrierModule(cmd.carrierModule);
  if (cmd.viaMdnEntry) return 'knm_mdn';
  return live ? record.carrierModule : 'knm_local';
}
