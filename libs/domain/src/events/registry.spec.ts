/** Stored events are checked into domain events in one place; their type strings never change (they are in stored logs). */
import { EVENT_CODECS, KNOWN_EVENT_TYPES, readStoredEvent } from './registry';
import { UnreadableEventError } from './stored-event';

const at = '2024-06-01T00:00:00.000Z';

describe('the registry of stored event types', () => {
  it('knows exactly the type strings the ledger has written, each declared by one aggregate', () => {
    expect(Object.fromEntries(Object.entries(EVENT_CODECS).map(([a, c]) => [a, Object.keys(c.shapes)]))).toEqual({
      number: [
        'NumberAdded.v1', 'NumberDiscovered.v1', 'NumberReserved.v1', 'NumberAcquired.v1', 'NumberPortInStarted.v1', 'NumberReleased.v1',
        'NumberAged.v1', 'NumberDeleted.v1', 'NumberFeaturesSet.v1', 'NumberDiscoveryExpired.v1', 'NumberUsageSet.v1',
        'NumberOrderPending.v1', 'NumberOrderConfirmed.v1', 'NumberOrderFailed.v1',
      ],
      account: ['AccountCreated.v1', 'AccountKeyIssued.v1', 'AccountKeyRevoked.v1'],
      config: ['NumberManagerConfigured.v1'],
      service: ['ServiceRegistered.v1', 'ServiceRemoved.v1'],
      carrierSettings: ['CarrierSettingsConfigured.v1', 'CarrierSettingsConfigured.v2', 'CarrierModulesEnabled.v1', 'CarrierCredentialsShredded.v1'],
      audit: ['AuditStarted.v1', 'AuditScanned.v1', 'AuditChunkPlanned.v1', 'AuditChunkApplied.v1', 'AuditResumed.v1', 'AuditCompleted.v1'],
      task: ['TaskSubmitted.v1', 'TaskStarted.v1', 'TaskProgressed.v1', 'TaskFinished.v1'],
    });
    expect(new Set(KNOWN_EVENT_TYPES).size).toBe(KNOWN_EVENT_TYPES.length);
  });

  it('reads a number event flat, the type beside its fields', () => {
    expect(readStoredEvent({ type: 'NumberUsageSet.v1', data: { at, usedBy: [] } })).toEqual({ type: 'NumberUsageSet.v1', at, usedBy: [] });
  });

  it('reads other events as type and data', () => {
    const data = { accountId: 'acme', type: 'device', serviceId: 'd1', at };
    expect(readStoredEvent({ type: 'ServiceRemoved.v1', data })).toEqual({ type: 'ServiceRemoved.v1', data });
  });

  it('writes what it reads (the stored payload is unchanged)', () => {
    const data = { at, features: { cnam: { inbound: true } } };
    expect(EVENT_CODECS.number.write(EVENT_CODECS.number.read({ type: 'NumberFeaturesSet.v1', data }))).toEqual({ type: 'NumberFeaturesSet.v1', data });
    const task = { worker: 'w', rowsDone: 0, at };
    expect(EVENT_CODECS.task.write(EVENT_CODECS.task.read({ type: 'TaskStarted.v1', data: task }))).toEqual({ type: 'TaskStarted.v1', data: task });
  });

  it('accepts fields older events lack where the type says they may be absent', () => {
    expect(() => readStoredEvent({ type: 'NumberAged.v1', data: { at } })).not.toThrow();
    expect(() => readStoredEvent({ type: 'AccountCreated.v1', data: { id: 'a', name: 'A', reseller: false, superAdmin: false, allowNumberAdditions: false, at } })).not.toThrow();
  });

  it.each([
    ['an unknown type', { type: 'NumberFrobbed.v9', data: { at } }, 'event NumberFrobbed.v9 cannot be read: unknown event type'],
    ['a missing field', { type: 'NumberUsageSet.v1', data: { at } }, 'field usedBy must be array, is undefined'],
    ['a field of the wrong kind', { type: 'TaskStarted.v1', data: { worker: 7, rowsDone: 0, at } }, 'field worker must be string, is number'],
    ['a payload that is not an object', { type: 'AuditCompleted.v1', data: [] as unknown as Record<string, unknown> }, 'the payload is not an object'],
    ['with where it lies, when known', { type: 'AuditScanned.v1', data: { total: '3', at }, streamId: 'audit-a1', revision: 1 }, 'stream audit-a1 revision 1: event AuditScanned.v1 cannot be read: field total must be number, is string'],
  ])('%s is a clear error', (_case, stored, message) => {
    expect(() => readStoredEvent(stored)).toThrow(UnreadableEventError);
    expect(() => readStoredEvent(stored)).toThrow(message);
  });
});
