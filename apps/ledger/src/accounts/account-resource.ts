import { SYSTEM_ACCOUNT_ID } from '@ledger/domain/account/events';
import { AccountTree } from './account-tree';

/** The account resource of API.md: the account, its ancestors, whether it is the system. */
export function presentAccount(tree: AccountTree, id: string) {
  const a = tree.get(id)!;
  const path = tree.pathOf(id);
  return { ...a, ancestors: path.slice(0, -1), isSystem: id === SYSTEM_ACCOUNT_ID };
}

export type AccountResource = ReturnType<typeof presentAccount>;
