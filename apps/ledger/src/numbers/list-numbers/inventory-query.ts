import { INPUT_LIMITS, textFault } from '@ledger/domain/validation';
import { LedgerError } from '@ledger/domain/errors';
import { isAdmin } from '../../accounts/account-access';
import { Requester } from '@ledger/domain/types';
import { AccountTree } from '../../accounts/account-tree';

/** A parameterised WHERE clause built piece by piece. */
export class Where {
  readonly clauses: string[] = [];
  readonly params: unknown[] = [];

  add(sql: (p: (value: unknown) => string) => string): this {
    this.clauses.push(sql((value) => {
      this.params.push(value);
      return `$${this.params.length}`;
    }));
    return this;
  }

  toString(): string {
    return this.clauses.length ? `WHERE ${this.clauses.join(' AND ')}` : '';
  }
}

/**
 * What a reader may see (SPEC 2, reading rules): available numbers (managed ones only
 * within their pool's subtree), numbers held in its subtree, numbers reserved by its ancestors.
 * Expects the inventory as `i` joined with the holder's account as `a`.
 */
export function visibleTo(where: Where, requester: Requester, accounts: AccountTree): void {
  if (isAdmin(requester, accounts)) return;
  const path = accounts.pathOf(requester.accountId);
  where.add((p) => {
    const me = p(requester.accountId);
    const ancestors = p(path);
    return `(${me} = ANY(a.path)
      OR (i.state = 'available' AND (i.pool_account_id IS NULL OR i.pool_account_id = ANY(${ancestors}::text[])))
      OR (i.state = 'reserved' AND i.assigned_to = ANY(${ancestors}::text[])))`;
  });
}

export const encodeCursor = (number: string): string => Buffer.from(number).toString('base64url');
/** A cursor that does not decode to text (bad base64, NUL, invalid UTF-8) is `validation_failed`, not a database error. */
export function decodeCursor(cursor: string): string {
  const decoded = /^[A-Za-z0-9_-]*$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString() : '\u0000';
  if (decoded.includes('\ufffd') || textFault(decoded, INPUT_LIMITS.textLength)) {
    throw new LedgerError('validation_failed', 'cursor is not a cursor this service issued', { field: 'cursor' });
  }
  return decoded;
}
