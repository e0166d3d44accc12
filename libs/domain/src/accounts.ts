import { SYSTEM_ACCOUNT_ID } from './account/events';
import type { AccountDirectory, AccountInfo } from './types';

/**
 * The account tree held in memory (pure data structure). The system account
 * (`system`) is the root: it is added when missing, and any account whose
 * parent chain ends elsewhere hangs below it implicitly.
 */
export class InMemoryAccountDirectory implements AccountDirectory {
  private readonly byId = new Map<string, AccountInfo>();

  constructor(accounts: Iterable<AccountInfo> = []) {
    for (const a of accounts) this.byId.set(a.id, a);
    if (!this.byId.has(SYSTEM_ACCOUNT_ID)) {
      this.byId.set(SYSTEM_ACCOUNT_ID, {
        id: SYSTEM_ACCOUNT_ID, name: 'System', parentId: null,
        reseller: false, superAdmin: true, allowNumberAdditions: true,
      });
    }
  }

  get(id: string): AccountInfo | undefined {
    return this.byId.get(id);
  }

  /** Adds or replaces an account. */
  upsert(account: AccountInfo): void {
    this.byId.set(account.id, account);
  }

  remove(id: string): void {
    if (id !== SYSTEM_ACCOUNT_ID) this.byId.delete(id);
  }

  all(): AccountInfo[] {
    return [...this.byId.values()];
  }

  /** `id` then its ancestors up to the root (`system` last). Empty for an unknown id. */
  pathToRoot(id: string): string[] {
    const path: string[] = [];
    const seen = new Set<string>();
    let cur = this.byId.get(id);
    while (cur && !seen.has(cur.id)) {
      seen.add(cur.id);
      path.push(cur.id);
      cur = cur.parentId ? this.byId.get(cur.parentId) : undefined;
    }
    if (path.length > 0 && path[path.length - 1] !== SYSTEM_ACCOUNT_ID) path.push(SYSTEM_ACCOUNT_ID);
    return path;
  }

  isAncestor(ancestorId: string, id: string): boolean {
    return this.pathToRoot(id).includes(ancestorId);
  }

  resellerOf(id: string): AccountInfo | undefined {
    for (const a of this.pathToRoot(id)) {
      const acc = this.byId.get(a);
      if (acc?.reseller) return acc;
    }
    return undefined;
  }

  /** Direct sub-accounts (an account's "sites" in the audit). */
  childrenOf(id: string): AccountInfo[] {
    return this.all().filter((a) => a.id !== id && (a.parentId ?? (a.id === SYSTEM_ACCOUNT_ID ? null : SYSTEM_ACCOUNT_ID)) === id);
  }

  /** `id` and every account below it. */
  descendantsOf(id: string): string[] {
    return this.all().filter((a) => this.isAncestor(id, a.id)).map((a) => a.id);
  }
}
