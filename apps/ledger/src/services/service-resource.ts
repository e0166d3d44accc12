import { LedgerError } from '@ledger/domain/errors';
import { SERVICE_TYPES, ServiceType } from '@ledger/domain/types';
import { ServiceKey } from './service-registry';

const SERVICE_ID = /^[A-Za-z0-9][A-Za-z0-9_.:@-]{0,127}$/;

/** Checks the path of a service resource; bad input is a 400 that changes nothing. */
export function serviceKey(accountId: string, type: string, serviceId: string): ServiceKey {
  if (!(SERVICE_TYPES as readonly string[]).includes(type)) {
    throw new LedgerError('validation_failed', `unknown service type ${type} (known: ${SERVICE_TYPES.join(', ')})`, { field: 'type' });
  }
  if (!SERVICE_ID.test(serviceId)) throw new LedgerError('validation_failed', 'serviceId must be 1-128 letters, digits, _ . : @ -', { field: 'serviceId' });
  return { accountId, type: type as ServiceType, serviceId };
}

export interface ServiceResource { accountId: string; type: string; id: string; name: string | null; numbers: string[]; updatedAt: string | null }

/** The service resource of API.md (its id is `id`). */
export function presentService(s: { accountId: string; type: string; serviceId: string; name: string | null; numbers: string[]; updatedAt: string | null }): ServiceResource {
  return { accountId: s.accountId, type: s.type, id: s.serviceId, name: s.name, numbers: s.numbers, updatedAt: s.updatedAt };
}
