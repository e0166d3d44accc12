import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { LedgerError } from '@ledger/domain/errors';
import { LogPosition } from '@ledger/event-store/port';
import { RequestContext } from '../../core/request-context';
import { requireAccountAccess } from '../account-access';
import { AccountTree } from '../account-tree';
import { AccountWriter } from '../account-writer';
import { KeyRing } from '../key-ring';

/** Revokes the key: refused from the answer on, by every instance. */
export class RevokeKeyCommand extends Command<LogPosition> {
  constructor(readonly accountId: string, readonly keyId: string, readonly ctx: RequestContext) {
    super();
  }
}

@CommandHandler(RevokeKeyCommand)
export class RevokeKeyHandler implements ICommandHandler<RevokeKeyCommand, LogPosition> {
  constructor(private readonly tree: AccountTree, private readonly writer: AccountWriter, private readonly keys: KeyRing) {}

  async execute({ accountId, keyId, ctx }: RevokeKeyCommand): Promise<LogPosition> {
    requireAccountAccess(this.tree, ctx.requester, accountId);
    if (!(await this.keys.list(accountId)).some((k) => k.keyId === keyId)) throw new LedgerError('not_found', `the account has no key ${keyId}`);
    return this.writer.revokeKey(accountId, keyId, ctx);
  }
}
