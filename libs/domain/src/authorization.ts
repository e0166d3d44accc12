import { LedgerError } from './errors';
import type { DecisionContext, NumberRecord } from './types';

type Ctx = Pick<DecisionContext, 'requester' | 'accounts'>;

/** SPEC 1: the system, or an account flagged `superAdmin`. */
export function isAdmin(ctx: Ctx): boolean {
  if (ctx.requester.isSystem) return true;
  return ctx.accounts.get(ctx.requester.accountId)?.superAdmin === true;
}

/** True when the requester is an ancestor (inclusive) of `accountId`. */
export function actsFor(ctx: Ctx, accountId: string): boolean {
  if (isAdmin(ctx)) return true;
  if (!ctx.accounts.get(ctx.requester.accountId)) return false;
  return ctx.accounts.isAncestor(ctx.requester.accountId, accountId);
}

/**
 * SPEC 2 authorization: the system and admins always; otherwise the requester
 * must be an ancestor of the number's holder or, when it has no holder, of the
 * account it is being assigned to. No holder and no target: admins only.
 */
export function isAuthorized(ctx: Ctx, holder: string | null, target?: string | null): boolean {
  if (isAdmin(ctx)) return true;
  const subject = holder ?? target ?? null;
  return subject !== null && actsFor(ctx, subject);
}

/** Throws `unauthorized` unless `isAuthorized`; says what was refused, never who holds the number (SPEC 12). */
export function authorize(ctx: Ctx, holder: string | null, target?: string | null, what = 'act on this number'): void {
  if (!isAuthorized(ctx, holder, target)) {
    throw new LedgerError('unauthorized', `account ${ctx.requester.accountId} may not ${what}`, { requester: ctx.requester.accountId });
  }
}

/**
 * Beyond SPEC 2 (which only checks the holder): a non-admin may only assign a
 * number to an account in its own subtree, so that nobody can push numbers
 * (and their cost) into an unrelated tenant.
 */
export function authorizeTarget(ctx: Ctx, target: string): void {
  if (!actsFor(ctx, target)) {
    throw new LedgerError('unauthorized', `account ${ctx.requester.accountId} may not assign numbers to that account`, {
      requester: ctx.requester.accountId,
    });
  }
}

/**
 * SPEC 2: reading a number is allowed when it is `available`, when the reader
 * is authorized, or when it was reserved by an ancestor of the reader.
 * Refinements: an available knm_managed number is readable only within its
 * pool account's subtree (SPEC 4); `discovery` numbers (public upstream
 * search results) are readable like available ones; deleted numbers only by admins.
 */
export function canRead(record: NumberRecord, ctx: Ctx): boolean {
  if (isAdmin(ctx)) return true;
  if (!record.exists || record.state === 'deleted') return false;
  if (record.state === 'available' || record.state === 'discovery') {
    const pool = record.poolAccountId ?? null;
    return pool === null || ctx.accounts.isAncestor(pool, ctx.requester.accountId);
  }
  if (record.assignedTo !== null && actsFor(ctx, record.assignedTo)) return true;
  return record.state === 'reserved' && record.assignedTo !== null
    && ctx.accounts.isAncestor(record.assignedTo, ctx.requester.accountId);
}
