/** Events of the operator configuration (stream `config-number-manager`). */
import type { DomainEvent } from '../decider';
import { envelopeCodec } from '../events/stored-event';
import type { NumberManagerConfig } from '../types';

export const CONFIG_EVENT_TYPES = {
  NumberManagerConfigured: 'NumberManagerConfigured.v1',
} as const;

/** The whole configuration after a change (older events may lack settings added since: the defaults fill them). */
export interface NumberManagerConfigured {
  config: NumberManagerConfig;
  at: string;
}

export type ConfigEvent = DomainEvent<typeof CONFIG_EVENT_TYPES.NumberManagerConfigured, NumberManagerConfigured>;

export const configEvents = envelopeCodec<ConfigEvent>({
  [CONFIG_EVENT_TYPES.NumberManagerConfigured]: { config: 'object', at: 'string?' },
});

export const CONFIG_STREAM_ID = 'config-number-manager';
