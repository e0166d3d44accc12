import type { Decider } from '../decider';
import { LedgerError } from '../errors';
import type { ServiceType } from '../types';
import { SERVICE_EVENT_TYPES, type ServiceEvent, type ServiceRegistered } from './events';

export interface ServiceKey {
  accountId: string;
  type: ServiceType;
  serviceId: string;
}

export type ServiceCommand =
  | { type: 'RegisterService'; key: ServiceKey; name: string | null; numbers: string[]; at: string }
  | { type: 'RemoveService'; key: ServiceKey; at: string };

export interface ServiceState {
  /** The service as last registered; null before, and after its removal. */
  live: ServiceRegistered | null;
}

/** The numbers a service lists, as recorded: sorted, without duplicates. */
export function serviceNumbers(numbers: string[]): string[] {
  return [...new Set(numbers)].sort();
}

/**
 * SPEC 7 (the registry of services, fed by provisioning), in order:
 * 1. RegisterService records the service's name and numbers (sorted, without
 *    duplicates); registering it again unchanged records nothing;
 * 2. RemoveService needs a registered service (`not_found`).
 * (Whether the account may list each number, SPEC 12, is checked by the
 * registry against the inventory before it registers.)
 */
export function decideService(command: ServiceCommand, state: ServiceState): ServiceEvent[] {
  if (command.type === 'RegisterService') {
    const numbers = serviceNumbers(command.numbers);
    if (state.live && state.live.name === command.name && sameList(state.live.numbers, numbers)) return [];
    return [{ type: SERVICE_EVENT_TYPES.ServiceRegistered, data: { ...command.key, name: command.name, numbers, at: command.at } }];
  }
  const { key } = command;
  if (!state.live) throw new LedgerError('not_found', `service ${key.type}/${key.serviceId} is not registered for account ${key.accountId}`);
  return [{ type: SERVICE_EVENT_TYPES.ServiceRemoved, data: { ...key, at: command.at } }];
}

export function evolveService(_state: ServiceState, event: ServiceEvent): ServiceState {
  return { live: event.type === SERVICE_EVENT_TYPES.ServiceRegistered ? event.data : null };
}

export const serviceDecider: Decider<ServiceCommand, ServiceEvent, ServiceState> = {
  decide: decideService,
  evolve: evolveService,
  initialState: () => ({ live: null }),
};

function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
