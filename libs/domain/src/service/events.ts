import type { DomainEvent } from '../decider';
import { envelopeCodec } from '../events/stored-event';
import type { ServiceType } from '../types';

/** Events of the service registry: stream `service-<accountId>-<type>-<serviceId>` (SPEC 7). */
export const SERVICE_EVENT_TYPES = {
  ServiceRegistered: 'ServiceRegistered.v1',
  ServiceRemoved: 'ServiceRemoved.v1',
} as const;

/** Registers a service or replaces its name and numbers. */
export interface ServiceRegistered {
  accountId: string;
  type: ServiceType;
  serviceId: string;
  name: string | null;
  /** E.164 numbers the service uses, sorted, without duplicates. */
  numbers: string[];
  at: string;
}

export interface ServiceRemoved {
  accountId: string;
  type: ServiceType;
  serviceId: string;
  at: string;
}

export type ServiceEvent =
  | DomainEvent<typeof SERVICE_EVENT_TYPES.ServiceRegistered, ServiceRegistered>
  | DomainEvent<typeof SERVICE_EVENT_TYPES.ServiceRemoved, ServiceRemoved>;

const KEY = { accountId: 'string', type: 'string', serviceId: 'string', at: 'string' } as const;

export const serviceEvents = envelopeCodec<ServiceEvent>({
  [SERVICE_EVENT_TYPES.ServiceRegistered]: { ...KEY, name: 'string|null', numbers: 'array' },
  [SERVICE_EVENT_TYPES.ServiceRemoved]: KEY,
});

export const SERVICE_STREAM_PREFIX = 'service-';
export const serviceStreamId = (accountId: string, type: string, serviceId: string): string =>
  `${SERVICE_STREAM_PREFIX}${accountId}-${type}-${serviceId}`;
