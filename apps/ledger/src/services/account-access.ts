import { LedgerError } from '../../../../libs/domain/src/errors';
import { Requester } from '../../../../libs/domain/src/types';
import { AccountTree } from '../accounts/account-tree';
import { isAdmin } from '../numbers/list-numbers/inventory-query';

/** The account must exist (404) and the requester must act for it: an admin or an ancestor (403). */
export function requireAccountAccess(tree: AccountTree, requester: Requester, accountId: string): void {
  if (!tree.get(accountId)) throw new LedgerError('not_found', `account ${accountId} does not exist`);
  if (isAdmin(requester, tree) || tree.isAncestor(requester.accountId, accountId)) return;
  throw new LedgerError('unauthorized', `account ${requester.accountId} may not act on account ${accountId}`);
}

/** The system as requester: usage and audit changes are recorded by the ledger itself. */
export const LEDGER_ITSELF: Requester = { accountId: 'system', isSystem: true };
