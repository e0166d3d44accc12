import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { LogPosition } from '@ledger/event-store/port';
import { eventMetadata, RequestContext } from '../../../core/request-context';
import { CarrierSettingsStore } from '../../carrier-settings.store';
import { CarrierScopeAccess } from '../carrier-scope-access';

/** Removes every credential of a scope by destroying its data keys (crypto-shredding). */
export class ShredCarrierCredentialsCommand extends Command<LogPosition> {
  constructor(readonly scope: string, readonly ctx: RequestContext) {
    super();
  }
}

@CommandHandler(ShredCarrierCredentialsCommand)
export class ShredCarrierCredentialsHandler implements ICommandHandler<ShredCarrierCredentialsCommand, LogPosition> {
  constructor(private readonly store: CarrierSettingsStore, private readonly access: CarrierScopeAccess) {}

  execute({ scope, ctx }: ShredCarrierCredentialsCommand): Promise<LogPosition> {
    this.access.mayConfigure(scope, ctx.requester);
    return this.store.shredCredentials(scope, eventMetadata(ctx, 'ShredCarrierCredentials'));
  }
}
