/** SPEC 7: the registry of services (type, id, account, numbers) fed by provisioning. */
import { deciderTable } from '@ledger/domain/test/decider-table';
import { serviceDecider, ServiceKey } from './decider';
import type { ServiceEvent } from './events';

const at = '2024-06-01T00:00:00.000Z';
const key: ServiceKey = { accountId: 'acme', type: 'device', serviceId: 'd1' };
const registered = (numbers: string[], name: string | null = 'desk'): ServiceEvent => ({ type: 'ServiceRegistered.v1', data: { ...key, name, numbers, at } });

describe('SPEC 7 - registering and removing services', () => {
  deciderTable(serviceDecider, [
    { rule: 'a service is recorded with its numbers sorted, without duplicates', when: { type: 'RegisterService', key, name: 'desk', numbers: ['+2', '+1', '+2'], at }, then: [{ type: 'ServiceRegistered.v1', data: { ...key, name: 'desk', numbers: ['+1', '+2'] } }] },
    { rule: 'registering again unchanged records nothing', given: [registered(['+1', '+2'])], when: { type: 'RegisterService', key, name: 'desk', numbers: ['+2', '+1'], at }, then: [] },
    { rule: 'a new name is a change', given: [registered(['+1'])], when: { type: 'RegisterService', key, name: 'lobby', numbers: ['+1'], at }, then: [{ data: { name: 'lobby' } }] },
    { rule: 'new numbers replace the old ones', given: [registered(['+1'])], when: { type: 'RegisterService', key, name: 'desk', numbers: ['+3'], at }, then: [{ data: { numbers: ['+3'] } }], state: { live: { numbers: ['+3'] } } },
    { rule: 'a registered service may be removed', given: [registered(['+1'])], when: { type: 'RemoveService', key, at }, then: [{ type: 'ServiceRemoved.v1', data: key }], state: { live: null } },
    { rule: 'removing an unregistered service is not_found', when: { type: 'RemoveService', key, at }, error: 'not_found', message: 'device/d1' },
    { rule: 'removing a removed service is not_found', given: [registered(['+1']), { type: 'ServiceRemoved.v1', data: { ...key, at } }], when: { type: 'RemoveService', key, at }, error: 'not_found' },
    { rule: 'a removed service may be registered again', given: [registered(['+1']), { type: 'ServiceRemoved.v1', data: { ...key, at } }], when: { type: 'RegisterService', key, name: 'desk', numbers: ['+1'], at }, then: [{ type: 'ServiceRegistered.v1' }] },
  ]);
});
