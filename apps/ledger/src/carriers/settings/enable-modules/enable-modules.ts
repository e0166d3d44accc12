import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { IntegrationModule } from '@ledger/carriers';
import { Positioned } from '../../../core/positioned';
import { eventMetadata, RequestContext } from '../../../core/request-context';
import { CarrierSettingsStore } from '../../carrier-settings.store';
import { CarrierScopeAccess } from '../carrier-scope-access';
import { enabledModulesInput } from '../carrier-settings.input';

export interface EnabledModules {
  accountId: string;
  enabledModules: IntegrationModule[] | null;
}

/** Which integration modules a reseller's accounts may use (null: the system's). */
export class EnableCarrierModulesCommand extends Command<Positioned<EnabledModules>> {
  constructor(readonly accountId: string, readonly enabledModules: string[] | null | undefined, readonly ctx: RequestContext) {
    super();
  }
}

@CommandHandler(EnableCarrierModulesCommand)
export class EnableCarrierModulesHandler implements ICommandHandler<EnableCarrierModulesCommand, Positioned<EnabledModules>> {
  constructor(private readonly store: CarrierSettingsStore, private readonly access: CarrierScopeAccess) {}

  async execute({ accountId, enabledModules, ctx }: EnableCarrierModulesCommand): Promise<Positioned<EnabledModules>> {
    this.access.mayConfigure(accountId, ctx.requester);
    const list = enabledModulesInput(enabledModules);
    const position = await this.store.enableModules(accountId, list, eventMetadata(ctx, 'EnableCarrierModules'));
    return { answer: { accountId, enabledModules: list }, position };
  }
}
