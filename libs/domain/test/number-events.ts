/**
 * Builders of number events for tests (pure; no test framework needed). Each
 * fills the required fields with neutral defaults; pass overrides as needed.
 */
import type {
  NumberAcquired, NumberAdded, NumberAged, NumberDeleted, NumberDiscovered, NumberDiscoveryExpired, NumberFeaturesSet,
  NumberPortInStarted, NumberReleased, NumberReserved, NumberUsageSet,
} from '@ledger/domain/types';

export const TEST_INSTANT = '2024-01-01T00:00:00.000Z';

type Opt<T> = Partial<Omit<T, 'type'>>;

export const numberEvents = {
  added: (o: Opt<NumberAdded> = {}): NumberAdded => ({
    type: 'NumberAdded.v1', at: TEST_INSTANT, number: '+14155550100', state: 'available', carrierModule: 'knm_inventory',
    assignedTo: null, reserveHistory: [], agingUntil: null, ...o,
  }),
  discovered: (o: Opt<NumberDiscovered> = {}): NumberDiscovered => ({
    type: 'NumberDiscovered.v1', at: TEST_INSTANT, number: '+14155550100', carrierModule: 'knm_telnyx',
    expiresAt: '2024-01-02T00:00:00.000Z', ...o,
  }),
  reserved: (accountId: string, o: Opt<NumberReserved> = {}): NumberReserved => ({
    type: 'NumberReserved.v1', at: TEST_INSTANT, from: 'available', accountId, prevAssignedTo: null,
    reserveHistory: [accountId], expiresAt: null, orderFromCarrier: false, ...o,
  }),
  acquired: (accountId: string, o: Opt<NumberAcquired> = {}): NumberAcquired => ({
    type: 'NumberAcquired.v1', at: TEST_INSTANT, from: 'available', accountId, prevAssignedTo: null,
    orderFromCarrier: false, features: {}, ...o,
  }),
  portInStarted: (accountId: string, o: Opt<NumberPortInStarted> = {}): NumberPortInStarted => ({
    type: 'NumberPortInStarted.v1', at: TEST_INSTANT, from: null, accountId, ...o,
  }),
  released: (o: Opt<NumberReleased> = {}): NumberReleased => ({
    type: 'NumberReleased.v1', at: TEST_INSTANT, from: 'in_service', state: 'aging', assignedTo: null, prevAssignedTo: null,
    reserveHistory: [], features: {}, agingUntil: '2024-03-31T00:00:00.000Z', disconnectFromCarrier: false, reason: 'requested', ...o,
  }),
  aged: (o: Opt<NumberAged> = {}): NumberAged => ({ type: 'NumberAged.v1', at: TEST_INSTANT, forced: false, ...o }),
  deleted: (o: Opt<NumberDeleted> = {}): NumberDeleted => ({ type: 'NumberDeleted.v1', at: TEST_INSTANT, from: 'available', ...o }),
  featuresSet: (features: NumberFeaturesSet['features'], o: Opt<NumberFeaturesSet> = {}): NumberFeaturesSet => ({
    type: 'NumberFeaturesSet.v1', at: TEST_INSTANT, features, ...o,
  }),
  discoveryExpired: (o: Opt<NumberDiscoveryExpired> = {}): NumberDiscoveryExpired => ({
    type: 'NumberDiscoveryExpired.v1', at: TEST_INSTANT, ...o,
  }),
  usageSet: (usedBy: NumberUsageSet['usedBy'], o: Opt<NumberUsageSet> = {}): NumberUsageSet => ({
    type: 'NumberUsageSet.v1', at: TEST_INSTANT, usedBy, ...o,
  }),
};
