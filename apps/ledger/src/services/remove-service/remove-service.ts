import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { LogPosition } from '@ledger/event-store/port';
import { requireAccountAccess } from '../../accounts/account-access';
import { AccountTree } from '../../accounts/account-tree';
import { RequestContext } from '../../core/request-context';
import { ServiceRegistry } from '../service-registry';
import { serviceKey } from '../service-resource';

/** Removes the service; the numbers it used lose that usage. */
export class RemoveServiceCommand extends Command<LogPosition> {
  constructor(readonly accountId: string, readonly type: string, readonly serviceId: string, readonly ctx: RequestContext) {
    super();
  }
}

@CommandHandler(RemoveServiceCommand)
export class RemoveServiceHandler implements ICommandHandler<RemoveServiceCommand, LogPosition> {
  constructor(private readonly registry: ServiceRegistry, private readonly tree: AccountTree) {}

  execute({ accountId, type, serviceId, ctx }: RemoveServiceCommand): Promise<LogPosition> {
    const key = serviceKey(accountId, type, serviceId);
    requireAccountAccess(this.tree, ctx.requester, accountId);
    return this.registry.remove(key, ctx);
  }
}
