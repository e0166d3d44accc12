import type { Decider } from '../decider';
import { LedgerError } from '../errors';
import type { NumberManagerConfig, Requester } from '../types';
import { CONFIG_EVENT_TYPES, type ConfigEvent } from './events';
import { changedConfig, defaultConfig } from './number-manager-config';

/** `PUT /v1/config/number-manager`, `ledger config set`: the settings given replace the current ones. */
export interface ConfigureNumberManager {
  type: 'ConfigureNumberManager';
  requester: Requester;
  changes: Partial<NumberManagerConfig>;
  at: string;
}

export type ConfigCommand = ConfigureNumberManager;

export interface ConfigState {
  config: NumberManagerConfig;
}

/** Only the operator reads or changes the number manager configuration (SPEC 3, 4, 5, 9 settings). */
export function requireOperator(requester: Requester): void {
  if (!requester.isSystem) throw new LedgerError('unauthorized', 'only the system may read or change the number manager configuration');
}

/**
 * ConfigureNumberManager (SPEC 3, 4, 5, 9: the operator settings), in order:
 * 1. only the system may change the configuration (`unauthorized`);
 * 2. the given settings replace the current ones (`changedConfig`: within
 *    `features`, a given list replaces its list, `allow: null` restores every feature);
 * 3. the result is checked as it would be recorded (`validation_failed`);
 * 4. the whole configuration is recorded, even when unchanged (the change is the operator's act).
 */
export function decideConfig(command: ConfigCommand, state: ConfigState): ConfigEvent[] {
  requireOperator(command.requester);
  const config = changedConfig(state.config, command.changes);
  return [{ type: CONFIG_EVENT_TYPES.NumberManagerConfigured, data: { config, at: command.at } }];
}

/** The SPEC defaults fill settings an older event does not have. */
export function evolveConfig(_state: ConfigState, event: ConfigEvent): ConfigState {
  return { config: { ...defaultConfig(), ...event.data.config } };
}

export const configDecider: Decider<ConfigCommand, ConfigEvent, ConfigState> = {
  decide: decideConfig,
  evolve: evolveConfig,
  initialState: () => ({ config: defaultConfig() }),
};
