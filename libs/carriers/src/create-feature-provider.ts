import { completeSettings, type CarrierSettingsInput } from './carrier-settings';
import { TelnyxApi } from './clients/telnyx-api';
import { TelnyxFeatureProvider } from './clients/telnyx-features';
import { carrierHttp, checkSettings, integrationModule, type CarrierClientDeps } from './create-carrier-client';
import type { FeatureProvider } from './feature-provider';
import type { IntegrationModule } from './carrier';

/** The modules whose carrier offers e911/CNAM (see `createFeatureProvider`). */
export const FEATURE_PROVIDER_MODULES: readonly IntegrationModule[] = ['knm_telnyx'];

/**
 * The e911/CNAM provider of a carrier module, or undefined when the carrier
 * offers none (only knm_telnyx does). Same errors as `createCarrierClient`.
 */
export function createFeatureProvider(module: string, input: CarrierSettingsInput, deps: CarrierClientDeps = {}): FeatureProvider | undefined {
  const integration = integrationModule(module);
  if (!FEATURE_PROVIDER_MODULES.includes(integration)) return undefined;
  const settings = completeSettings(integration, input);
  checkSettings(integration, settings);
  return new TelnyxFeatureProvider(new TelnyxApi(carrierHttp(integration, settings, deps), settings), settings);
}
