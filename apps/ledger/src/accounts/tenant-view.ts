import { HttpException } from '@nestjs/common';
import { LedgerError } from '@ledger/domain/errors';
import { AccountView } from '@ledger/domain/tenancy/view';
import { Requester } from '@ledger/domain/types';
import { AccountTree } from './account-tree';

/** SPEC 12: the caller's view of the other accounts, on the live account tree. */
export function tenantView(requester: Requester, tree: AccountTree): AccountView {
  return new AccountView({ requester, accounts: tree });
}

/** An error as the caller may see it: account ids outside its view replaced. */
export function errorInView(err: unknown, view: AccountView): unknown {
  if (view.seesAll) return err;
  if (err instanceof LedgerError) return new LedgerError(err.code, view.text(err.detail), view.answer(err.extra));
  if (err instanceof HttpException) {
    const res = err.getResponse();
    if (res && typeof res === 'object') return new HttpException(view.answer(res as Record<string, unknown>), err.getStatus());
  }
  return err;
}
