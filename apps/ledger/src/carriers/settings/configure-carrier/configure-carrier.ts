import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { Positioned } from '../../../core/positioned';
import { eventMetadata, RequestContext } from '../../../core/request-context';
import { CarrierSettingsStore } from '../../carrier-settings.store';
import { CarrierScopeAccess } from '../carrier-scope-access';
import { CarrierSettingsDto } from '../carrier-settings.dto';
import { moduleFromPath, settingsInput } from '../carrier-settings.input';
import { ModuleSettingsView, moduleView } from '../carrier-settings.view';

/** Records one module's settings in a scope (the system's or a reseller's); the credentials only sealed. */
export class ConfigureCarrierCommand extends Command<Positioned<ModuleSettingsView>> {
  constructor(readonly scope: string, readonly rawModule: string, readonly dto: CarrierSettingsDto, readonly ctx: RequestContext) {
    super();
  }
}

@CommandHandler(ConfigureCarrierCommand)
export class ConfigureCarrierHandler implements ICommandHandler<ConfigureCarrierCommand, Positioned<ModuleSettingsView>> {
  constructor(private readonly store: CarrierSettingsStore, private readonly access: CarrierScopeAccess) {}

  async execute({ scope, rawModule, dto, ctx }: ConfigureCarrierCommand): Promise<Positioned<ModuleSettingsView>> {
    this.access.mayConfigure(scope, ctx.requester);
    const module = moduleFromPath(rawModule);
    const input = settingsInput(dto, (await this.store.scope(scope)).modules[module]);
    const position = await this.store.configureModule(scope, module, input, eventMetadata(ctx, 'ConfigureCarrier'));
    return { answer: moduleView(scope, module, input), position };
  }
}
