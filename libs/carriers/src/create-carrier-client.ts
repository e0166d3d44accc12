import { isIntegrationModule, type CarrierClient, type IntegrationModule } from './carrier';
import { CarrierConfigError } from './carrier-fault';
import { CarrierHttp } from './carrier-http';
import { silentLogger, type CarrierLogger } from './carrier-logger';
import { completeSettings, KNM_BANDWIDTH_DEPRECATED, type CarrierSettings, type CarrierSettingsInput } from './carrier-settings';
import { Bandwidth2Client } from './clients/bandwidth2-client';
import { OtherClient } from './clients/other-client';
import { TelnyxApi } from './clients/telnyx-api';
import { TelnyxClient } from './clients/telnyx-client';
import { VitelityClient } from './clients/vitelity-client';
import { VoipInnovationsClient } from './clients/voip-innovations-client';
import { withProvisioningRules } from './provisioning-rules';
import { SecretScrubber } from './secret-scrubber';

export interface CarrierClientDeps {
  logger?: CarrierLogger;
}

const REQUIRED_CREDENTIALS: Record<IntegrationModule, string[]> = {
  knm_telnyx: ['token'],
  knm_bandwidth2: ['user', 'password', 'accountId'],
  knm_vitelity: ['user', 'password'],
  knm_voip_innovations: ['user', 'password'],
  knm_other: [],
};

/** Refuses `knm_bandwidth` and unknown names; the result's type is the integration module. */
export function integrationModule(module: string): IntegrationModule {
  if (module === 'knm_bandwidth') throw new CarrierConfigError(KNM_BANDWIDTH_DEPRECATED);
  if (!isIntegrationModule(module)) throw new CarrierConfigError(`unknown carrier module ${module}: no upstream client for it`);
  return module;
}

/** Names what is missing, never a value. */
export function checkSettings(module: IntegrationModule, settings: CarrierSettings): void {
  if (!settings.baseUrl) throw new CarrierConfigError(`${module}: baseUrl is not configured`);
  const missing = REQUIRED_CREDENTIALS[module].filter((name) => !settings.credentials[name]);
  if (missing.length) throw new CarrierConfigError(`${module}: missing credentials ${missing.join(', ')}`);
}

/** The transport every client of `module` uses: timeout, scrubbing, debug logging. */
export function carrierHttp(module: IntegrationModule, settings: CarrierSettings, deps: CarrierClientDeps = {}): CarrierHttp {
  return new CarrierHttp(module, settings, new SecretScrubber(settings.credentials), deps.logger ?? silentLogger);
}

function rawClient(module: IntegrationModule, settings: CarrierSettings, http: CarrierHttp): CarrierClient {
  switch (module) {
    case 'knm_telnyx': return new TelnyxClient(new TelnyxApi(http, settings), settings);
    case 'knm_bandwidth2': return new Bandwidth2Client(http, settings);
    case 'knm_vitelity': return new VitelityClient(http, settings);
    case 'knm_voip_innovations': return new VoipInnovationsClient(http, settings);
    case 'knm_other': return new OtherClient(http, settings);
  }
}

/**
 * The client for one integration module, with the module's provisioning rules
 * (minimum prefix, enableProvisioning, sandboxProvisioning) applied.
 * Throws CarrierConfigError for `knm_bandwidth`, unknown modules and missing settings.
 */
export function createCarrierClient(module: string, input: CarrierSettingsInput, deps: CarrierClientDeps = {}): CarrierClient {
  const integration = integrationModule(module);
  const settings = completeSettings(integration, input);
  checkSettings(integration, settings);
  const http = carrierHttp(integration, settings, deps);
  const client = withProvisioningRules(rawClient(integration, settings, http), settings, http);
  // Whoever searches gets the numbers' text without the credentials a careless upstream may quote back.
  return { ...client, search: async (query, signal) => (await client.search(query, signal)).map(http.scrubbedNumber) };
}
