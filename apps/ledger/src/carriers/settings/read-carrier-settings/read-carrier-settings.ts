import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { isIntegrationModule, IntegrationModule } from '@ledger/carriers';
import { SYSTEM_SCOPE } from '@ledger/domain/carrier-settings/events';
import { Requester } from '@ledger/domain/types';
import { NumberManagerConfigStore } from '../../../config/number-manager-config.store';
import { CarrierDirectory, EnabledCarriers } from '../../carrier-directory';
import { CarrierSettingsStore } from '../../carrier-settings.store';
import { CarrierScopeAccess } from '../carrier-scope-access';
import { moduleFromPath } from '../carrier-settings.input';
import { ModuleSettingsView, moduleView, scopeView } from '../carrier-settings.view';

export interface SystemCarriers {
  enabledModules: IntegrationModule[];
  modules: Partial<Record<IntegrationModule, ModuleSettingsView>>;
}

export interface EffectiveCarriers {
  accountId: string;
  reseller: string | null;
  enabledModules: IntegrationModule[];
  refused: EnabledCarriers['refused'];
  modules: Partial<Record<IntegrationModule, ModuleSettingsView>>;
}

/** The system's settings per module; which modules are enabled is the number-manager configuration's. */
export class SystemCarriersQuery extends Query<SystemCarriers> {
  constructor(readonly requester: Requester) {
    super();
  }
}

/** One module's settings as stored in a scope (redacted). */
export class CarrierModuleQuery extends Query<ModuleSettingsView> {
  constructor(readonly scope: string, readonly rawModule: string, readonly requester: Requester) {
    super();
  }
}

/** What an account's searches and orders use: enabled modules and the merged settings. */
export class EffectiveCarriersQuery extends Query<EffectiveCarriers> {
  constructor(readonly accountId: string, readonly requester: Requester) {
    super();
  }
}

@QueryHandler(SystemCarriersQuery)
export class SystemCarriersHandler implements IQueryHandler<SystemCarriersQuery, SystemCarriers> {
  constructor(private readonly store: CarrierSettingsStore, private readonly config: NumberManagerConfigStore, private readonly access: CarrierScopeAccess) {}

  async execute({ requester }: SystemCarriersQuery): Promise<SystemCarriers> {
    this.access.mayRead(SYSTEM_SCOPE, requester);
    const enabledModules = (await this.config.config()).carrierModules.filter(isIntegrationModule);
    return { enabledModules, modules: scopeView(SYSTEM_SCOPE, await this.store.scope(SYSTEM_SCOPE)) };
  }
}

@QueryHandler(CarrierModuleQuery)
export class CarrierModuleHandler implements IQueryHandler<CarrierModuleQuery, ModuleSettingsView> {
  constructor(private readonly store: CarrierSettingsStore, private readonly access: CarrierScopeAccess) {}

  async execute({ scope, rawModule, requester }: CarrierModuleQuery): Promise<ModuleSettingsView> {
    this.access.mayConfigure(scope, requester);
    const module = moduleFromPath(rawModule);
    return moduleView(scope, module, (await this.store.scope(scope)).modules[module]);
  }
}

@QueryHandler(EffectiveCarriersQuery)
export class EffectiveCarriersHandler implements IQueryHandler<EffectiveCarriersQuery, EffectiveCarriers> {
  constructor(private readonly carriers: CarrierDirectory, private readonly access: CarrierScopeAccess) {}

  async execute({ accountId, requester }: EffectiveCarriersQuery): Promise<EffectiveCarriers> {
    this.access.mayRead(accountId, requester);
    const enabled = await this.carriers.enabledFor(accountId);
    const reseller = this.carriers.resellerScope(accountId) ?? null;
    const modules = Object.fromEntries(await Promise.all(enabled.modules.map(async (m) =>
      [m, moduleView(reseller ?? 'system', m, await this.carriers.inputFor(m, accountId))] as const)));
    return { accountId, reseller, enabledModules: enabled.modules, refused: enabled.refused, modules };
  }
}
