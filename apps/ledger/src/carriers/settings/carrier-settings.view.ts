import {
  completeSettings, INTEGRATION_MODULES, redactSettings, type CarrierSettingsInput, type IntegrationModule, type RedactedSettings,
} from '@ledger/carriers';
import type { ScopeCarrierConfig } from '../carrier-settings.store';

export interface ModuleSettingsView {
  module: IntegrationModule;
  scope: string;
  /** false: nothing stored in this scope (the settings shown are the defaults). */
  configured: boolean;
  settings: RedactedSettings;
}

/** A module's settings as the API shows them: credentials reduced to which ones are set. */
export function moduleView(scope: string, module: IntegrationModule, input: CarrierSettingsInput | undefined): ModuleSettingsView {
  return { module, scope, configured: input !== undefined, settings: redactSettings(completeSettings(module, input ?? {})) };
}

/** Every module stored in a scope, redacted. */
export function scopeView(scope: string, config: ScopeCarrierConfig): Partial<Record<IntegrationModule, ModuleSettingsView>> {
  const modules: Partial<Record<IntegrationModule, ModuleSettingsView>> = {};
  for (const module of INTEGRATION_MODULES) {
    if (config.modules[module]) modules[module] = moduleView(scope, module, config.modules[module]);
  }
  return modules;
}
