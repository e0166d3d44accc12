import { isAdmin } from '../authorization';
import { LedgerError } from '../errors';
import type { DecisionContext, UsageRef } from '../types';
import { inLineage, NumberHolding, owningAccount } from './lineage';

type Ctx = Pick<DecisionContext, 'requester' | 'accounts'>;

/**
 * SPEC 12, services and usage: a service of `accountId` may list numbers that
 * are unassigned or belong inside its lineage. Otherwise `unauthorized`,
 * naming the numbers, never who holds them. Admins may list anything.
 * `listed` holds the numbers the inventory knows; absent ones are free.
 */
export function authorizeServiceNumbers(ctx: Ctx, accountId: string, listed: NumberHolding[]): void {
  if (isAdmin(ctx)) return;
  const foreign = listed
    .filter((n) => {
      const owner = owningAccount(n);
      return owner !== null && !inLineage(ctx.accounts, accountId, owner);
    })
    .map((n) => n.number)
    .sort();
  if (foreign.length === 0) return;
  throw new LedgerError('unauthorized', `a service of account ${accountId} may not use ${foreign.join(', ')}: held or reserved outside its lineage`, {
    numbers: foreign,
  });
}

/**
 * SPEC 12, usage: the services a number may record as its users, those whose account may
 * list it now (its owner's lineage; anyone's while it is free). Another tenant's service
 * never stays on, nor comes onto, a number its account could not act on.
 */
export function usageInLineage(tree: Ctx['accounts'], holding: NumberHolding, usedBy: readonly UsageRef[]): UsageRef[] {
  const owner = owningAccount(holding);
  return owner === null ? [...usedBy] : usedBy.filter((u) => inLineage(tree, u.accountId, owner));
}
