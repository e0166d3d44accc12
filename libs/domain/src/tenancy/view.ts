import { isAdmin } from '../authorization';
import type { DecisionContext } from '../types';

type Ctx = Pick<DecisionContext, 'requester' | 'accounts'>;

/** Fields that hold one account id. */
const ACCOUNT_FIELDS = new Set([
  'accountId', 'account_id', 'assignedTo', 'assigned_to', 'prevAssignedTo', 'prev_assigned_to', 'holder', 'pool',
  'poolAccountId', 'pool_account_id', 'parentId', 'parent_id', 'requester', 'requestedBy', 'requested_by', 'target', 'customerId', 'owner', 'actor',
]);
/** Fields that hold a list of account ids. */
const ACCOUNT_LIST_FIELDS = new Set(['reserveHistory', 'reserve_history', 'siteIds', 'site_ids', 'scope', 'path', 'ancestors']);
/** Fields that hold services (`{type, id, accountId}`): another tenant's service is left out. */
const USAGE_FIELDS = new Set(['usedBy', 'used_by', 'users']);
/** Free text that may name accounts. */
const TEXT_FIELDS = new Set(['detail', 'message', 'error', 'title']);

const ACCOUNT_TOKEN = /[A-Za-z0-9][A-Za-z0-9_.-]*/g;
export const HIDDEN_ACCOUNT = 'another account';

/**
 * SPEC 12: what a caller may see of other accounts. An account's view is its
 * own subtree plus the ids of its ancestors; admins see everything. Every
 * answer is passed through `answer` before it leaves.
 */
export class AccountView {
  constructor(private readonly ctx: Ctx) {}

  /** Admins see everything: nothing to hide. */
  get seesAll(): boolean {
    return isAdmin(this.ctx);
  }

  /** Whether the id of `accountId` may be shown. Ids that are no account (unknown) are not hidden. */
  sees(accountId: string): boolean {
    if (this.seesAll || !this.ctx.accounts.get(accountId)) return true;
    const me = this.ctx.requester.accountId;
    return this.ctx.accounts.isAncestor(me, accountId) || this.ctx.accounts.isAncestor(accountId, me);
  }

  /**
   * Whether the caller may see the data of `accountId` (not only its id): admins, and the
   * account itself or one above it. An ancestor's id is in a descendant's view, its data is not.
   */
  ownsDataOf(accountId: string | null): boolean {
    if (this.seesAll) return true;
    return accountId !== null && this.ctx.accounts.get(accountId) !== undefined && this.ctx.accounts.isAncestor(this.ctx.requester.accountId, accountId);
  }

  /** The id when the caller sees it, else null. */
  account(accountId: string | null | undefined): string | null {
    if (accountId === null || accountId === undefined) return null;
    return this.sees(accountId) ? accountId : null;
  }

  accounts(ids: readonly string[]): string[] {
    return ids.filter((id) => this.sees(id));
  }

  /** Free text with every account outside the view replaced by "another account". */
  text(s: string): string {
    if (this.seesAll) return s;
    return s.replace(ACCOUNT_TOKEN, (token) => (this.sees(token) ? token : HIDDEN_ACCOUNT));
  }

  /** An answer (JSON-like) with every account outside the view removed. */
  answer<T>(value: T): T {
    if (this.seesAll) return value;
    return this.walk(value, null) as T;
  }

  private walk(value: unknown, field: string | null): unknown {
    if (value === null || value === undefined) return value;
    if (typeof value === 'string') return this.field(value, field);
    if (Array.isArray(value)) return this.list(value, field);
    if (!isPlainObject(value)) return value;
    // Built from entries: an answer keyed by caller input (`__proto__`) keeps every key as its own.
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.walk(v, k)]));
  }

  private field(value: string, field: string | null): unknown {
    if (field !== null && ACCOUNT_FIELDS.has(field)) return this.account(value);
    if (field !== null && TEXT_FIELDS.has(field)) return this.text(value);
    return value;
  }

  private list(values: unknown[], field: string | null): unknown[] {
    if (field !== null && ACCOUNT_LIST_FIELDS.has(field)) {
      return values.filter((v) => typeof v !== 'string' || this.sees(v)).map((v) => this.walk(v, null));
    }
    if (field !== null && USAGE_FIELDS.has(field)) {
      return values.filter((v) => !isUsage(v) || this.sees(v.accountId)).map((v) => this.walk(v, null));
    }
    return values.map((v) => this.walk(v, field));
  }
}

function isUsage(v: unknown): v is { accountId: string } {
  return typeof v === 'object' && v !== null && typeof (v as { accountId?: unknown }).accountId === 'string';
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}
