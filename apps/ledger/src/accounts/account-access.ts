import { actsFor as domainActsFor, isAdmin as domainIsAdmin } from '@ledger/domain/authorization';
import { LedgerError } from '@ledger/domain/errors';
import { Requester } from '@ledger/domain/types';
import { AccountTree } from './account-tree';

/** SPEC 1: the system, or an account flagged `superAdmin` (the domain's rule, on the live tree). */
export function isAdmin(requester: Requester, tree: AccountTree): boolean {
  return domainIsAdmin({ requester, accounts: tree });
}

/** An admin, or an ancestor (inclusive) of `accountId`. */
export function actsFor(requester: Requester, tree: AccountTree, accountId: string): boolean {
  return domainActsFor({ requester, accounts: tree }, accountId);
}

/**
 * The requester must act for the account (403, API.md). Whether an account outside its subtree
 * exists is not the requester's to learn (SPEC 12): one 403 for both. Admins hear 404 for an
 * account that does not exist.
 */
export function requireAccountAccess(tree: AccountTree, requester: Requester, accountId: string, what = 'act on'): void {
  const exists = tree.get(accountId) !== undefined;
  if (exists && actsFor(requester, tree, accountId)) return;
  if (!exists && isAdmin(requester, tree)) throw new LedgerError('not_found', `account ${accountId} does not exist`);
  throw new LedgerError('unauthorized', `account ${requester.accountId} may not ${what} that account`);
}

/** The system as requester: usage and audit changes are recorded by the ledger itself. */
export const LEDGER_ITSELF: Requester = { accountId: 'system', isSystem: true };
