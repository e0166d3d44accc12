import { Injectable } from '@nestjs/common';
import { LedgerError } from '@ledger/domain/errors';
import { Requester } from '@ledger/domain/types';
import { isAdmin } from '../accounts/account-access';
import { AccountTree } from '../accounts/account-tree';
import { VerifiableLog } from './verifiable-log';

/** What the log's use cases share: the verifiable log, and the admin rule for signing and proofs by position. */
@Injectable() // its subclasses, the handlers, inherit its constructor's injected parameters
export abstract class LogReader {
  constructor(protected readonly log: VerifiableLog, private readonly accounts: AccountTree) {}

  protected adminOnly(caller: Requester, what: string): void {
    if (!isAdmin(caller, this.accounts)) throw new LedgerError('unauthorized', `only admins may ${what}`);
  }
}
