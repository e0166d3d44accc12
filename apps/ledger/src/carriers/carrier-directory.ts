import {
  CarrierConfigError, completeSettings, createCarrierClient, createFeatureProvider, FEATURE_PROVIDER_MODULES,
  INTEGRATION_MODULES, isIntegrationModule, isOwnCarrierAccount, KNM_BANDWIDTH_DEPRECATED, mergeSettingsInput, silentLogger,
  type CarrierClient, type CarrierLogger, type CarrierSettings, type CarrierSettingsInput, type FeatureProvider,
  type IntegrationModule,
} from '@ledger/carriers';
import { AccountTree } from '../accounts/account-tree';
import { NumberManagerConfigStore } from '../config/number-manager-config.store';
import { CarrierSettingsStore } from './carrier-settings.store';
import { SYSTEM_SCOPE } from '@ledger/domain/carrier-settings/events';

export interface EnabledCarriers {
  /** Integration modules this account's searches reach. */
  modules: IntegrationModule[];
  /** Listed but unusable: deprecated or unknown names, or not enabled by the operator. */
  refused: { module: string; reason: string }[];
}

const NOT_BY_OPERATOR = 'not enabled by the operator (number-manager carrierModules)';

/**
 * Which carriers an account reaches and with which settings (SPEC 4): the
 * reseller's module list if it set one, else the operator's `carrierModules`;
 * settings merged from the system's and the reseller's documents.
 */
export class CarrierDirectory {
  constructor(
    readonly store: CarrierSettingsStore,
    private readonly accounts: AccountTree,
    private readonly config: NumberManagerConfigStore,
    /** Where carrier clients write their (already scrubbed) log lines. */
    readonly logger: CarrierLogger = silentLogger,
  ) {}

  /** The reseller scope governing `accountId`, if it is below a reseller. */
  resellerScope(accountId: string | null): string | undefined {
    return accountId ? this.accounts.resellerOf(accountId)?.id : undefined;
  }

  async enabledFor(accountId: string): Promise<EnabledCarriers> {
    const operator = (await this.config.config()).carrierModules as string[];
    const scope = this.resellerScope(accountId);
    const listed = (scope ? (await this.store.scope(scope)).enabledModules : undefined) ?? operator;
    const modules = INTEGRATION_MODULES.filter((m) => listed.includes(m) && operator.includes(m));
    const refused = listed.flatMap((module) => {
      if (module === 'knm_bandwidth') return [{ module, reason: KNM_BANDWIDTH_DEPRECATED }];
      if (isIntegrationModule(module) && !operator.includes(module)) return [{ module, reason: NOT_BY_OPERATOR }];
      return [];
    });
    return { modules, refused };
  }

  /** The stored documents merged (system, then reseller); undefined when neither scope configured the module. */
  async inputFor(module: IntegrationModule, accountId: string | null): Promise<CarrierSettingsInput | undefined> {
    const system = (await this.store.scope(SYSTEM_SCOPE)).modules[module];
    const scope = this.resellerScope(accountId);
    const reseller = scope ? (await this.store.scope(scope)).modules[module] : undefined;
    if (!system && !reseller) return undefined;
    return mergeSettingsInput(module, system, reseller);
  }

  /**
   * Whose carrier account serves `accountId` for `module`: its reseller's, when the reseller
   * configured an account of its own (isOwnCarrierAccount), else the operator's (null).
   */
  async carrierAccountOf(module: IntegrationModule, accountId: string | null): Promise<string | null> {
    const scope = this.resellerScope(accountId);
    if (!scope) return null;
    const reseller = (await this.store.scope(scope)).modules[module];
    return isOwnCarrierAccount(module, (await this.store.scope(SYSTEM_SCOPE)).modules[module], reseller) ? scope : null;
  }

  async settingsFor(module: IntegrationModule, accountId: string | null): Promise<CarrierSettings> {
    return completeSettings(module, await this.configured(module, accountId));
  }

  async clientFor(module: IntegrationModule, accountId: string | null): Promise<CarrierClient> {
    return createCarrierClient(module, await this.configured(module, accountId), { logger: this.logger });
  }

  /** Undefined when the module's carrier offers no e911/CNAM. */
  async featureProviderFor(module: IntegrationModule, accountId: string | null): Promise<FeatureProvider | undefined> {
    if (!FEATURE_PROVIDER_MODULES.includes(module)) return undefined;
    return createFeatureProvider(module, await this.configured(module, accountId), { logger: this.logger });
  }

  private async configured(module: IntegrationModule, accountId: string | null): Promise<CarrierSettingsInput> {
    const input = await this.inputFor(module, accountId);
    if (!input) throw new CarrierConfigError(`${module} has no settings (PUT /v1/config/carriers/${module})`);
    return input;
  }
}
