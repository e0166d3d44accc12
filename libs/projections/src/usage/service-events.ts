import { ServiceType } from '@ledger/domain/types';

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

export const SERVICE_STREAM_PREFIX = 'service-';
export const serviceStreamId = (accountId: string, type: string, serviceId: string): string =>
  `${SERVICE_STREAM_PREFIX}${accountId}-${type}-${serviceId}`;
