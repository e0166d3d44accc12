import type { Decider } from '../decider';
import { LedgerError } from '../errors';
import {
  CARRIER_EVENT_TYPES, type CarrierSettingsDocument, type CarrierSettingsEvent, type SealedCredentials,
} from './events';

/** Sealing is the application's (it needs the scope's data key): commands carry the credentials already sealed. */
export type CarrierSettingsCommand =
  | { type: 'ConfigureCarrierModule'; module: string; settings: CarrierSettingsDocument; sealedCredentials: SealedCredentials | null; at: string }
  | { type: 'ShredCarrierCredentials'; keys: number; at: string }
  | { type: 'EnableCarrierModules'; enabledModules: string[] | null; at: string };

/** What one scope's stream records, credentials still sealed (opening them is the store's). */
export interface CarrierSettingsState {
  modules: Record<string, { settings: CarrierSettingsDocument; sealedCredentials: SealedCredentials | null }>;
  enabledModules: string[] | null;
}

/**
 * SPEC 12 (secrets) and SPEC 4 (carrier modules), in order:
 * 1. ConfigureCarrierModule replaces the module's whole settings document; its
 *    credentials are recorded only sealed: a document carrying credentials in
 *    clear is refused (`validation_failed`), never recorded;
 * 2. ShredCarrierCredentials records how many data keys were destroyed (the
 *    sealed copies in the history can no longer be opened);
 * 3. EnableCarrierModules records a reseller's own list; null goes back to the operator's.
 */
export function decideCarrierSettings(command: CarrierSettingsCommand, _state: CarrierSettingsState): CarrierSettingsEvent[] {
  switch (command.type) {
    case 'ConfigureCarrierModule': {
      if ('credentials' in command.settings) throw new LedgerError('validation_failed', 'carrier credentials are recorded only sealed', { field: 'credentials' });
      const { module, settings, sealedCredentials, at } = command;
      return [{ type: CARRIER_EVENT_TYPES.CarrierSettingsConfiguredSealed, data: { module, settings, sealedCredentials, at } }];
    }
    case 'ShredCarrierCredentials':
      return [{ type: CARRIER_EVENT_TYPES.CarrierCredentialsShredded, data: { keys: command.keys, at: command.at } }];
    case 'EnableCarrierModules':
      return [{ type: CARRIER_EVENT_TYPES.CarrierModulesEnabled, data: { enabledModules: command.enabledModules, at: command.at } }];
  }
}

export function evolveCarrierSettings(state: CarrierSettingsState, event: CarrierSettingsEvent): CarrierSettingsState {
  switch (event.type) {
    case CARRIER_EVENT_TYPES.CarrierSettingsConfigured:
      return { ...state, modules: { ...state.modules, [event.data.module]: { settings: event.data.settings, sealedCredentials: null } } };
    case CARRIER_EVENT_TYPES.CarrierSettingsConfiguredSealed: {
      const { module, settings, sealedCredentials } = event.data;
      return { ...state, modules: { ...state.modules, [module]: { settings, sealedCredentials } } };
    }
    case CARRIER_EVENT_TYPES.CarrierModulesEnabled:
      return { ...state, enabledModules: event.data.enabledModules };
    case CARRIER_EVENT_TYPES.CarrierCredentialsShredded:
      return { ...state, modules: Object.fromEntries(Object.entries(state.modules).map(([m, s]) => [m, shredded(s)])) };
  }
}

/** Credentials recorded in clear (legacy v1) are gone with the keys too; sealed ones simply no longer open. */
function shredded(module: CarrierSettingsState['modules'][string]): CarrierSettingsState['modules'][string] {
  return 'credentials' in module.settings ? { ...module, settings: { ...module.settings, credentials: {} } } : module;
}

export const carrierSettingsDecider: Decider<CarrierSettingsCommand, CarrierSettingsEvent, CarrierSettingsState> = {
  decide: decideCarrierSettings,
  evolve: evolveCarrierSettings,
  initialState: () => ({ modules: {}, enabledModules: null }),
};
