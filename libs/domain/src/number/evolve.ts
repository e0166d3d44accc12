import { carrierPolicy } from '../carrier-policy';
import { featuresForState, type FeatureMap } from '../features';
import type { NumberEvent, NumberRecord, NumberState } from '../types';

/** The state of a number whose stream does not exist yet. */
export function initialNumberRecord(e164: string): NumberRecord {
  return {
    number: e164,
    exists: false,
    state: 'available',
    carrierModule: 'knm_local',
    assignedTo: null,
    prevAssignedTo: null,
    reserveHistory: [],
    features: {},
    featureLists: {},
    usedBy: [],
    agingUntil: null,
    reservationExpiresAt: null,
    discoveryExpiresAt: null,
    poolAccountId: null,
    pendingOrder: null,
    version: 0,
    createdAt: null,
    updatedAt: null,
  };
}

/** The number exists and is not deleted. */
export function isLive(record: NumberRecord): boolean {
  return record.exists && record.state !== 'deleted';
}

/**
 * A managed number goes back to its pool (SPEC 4). A number a reseller's own carrier account
 * bought leaves that reseller's pool once released to nobody: it was given back upstream.
 */
function poolAfterRelease(prev: NumberRecord, holder: string | null): string | null {
  return holder === null && !carrierPolicy(prev.carrierModule).pool ? null : (prev.poolAccountId ?? null);
}

/** A fresh record for a (re)created number, keeping only the stream bookkeeping. */
function fresh(prev: NumberRecord): NumberRecord {
  return { ...initialNumberRecord(prev.number), version: prev.version, createdAt: prev.createdAt };
}

/**
 * Moving the number away from its holder (to another account or to nobody)
 * clears the usage (SPEC 2). Usage recorded on an unassigned number (the
 * audit's "available but used" case) stays when an account takes it.
 */
function usageAfter(prev: NumberRecord, holder: string | null): NumberRecord['usedBy'] {
  return prev.assignedTo !== null && prev.assignedTo !== holder ? [] : prev.usedBy;
}

function prevAfter(prev: NumberRecord, holder: string | null): string | null {
  return prev.assignedTo !== holder && prev.assignedTo !== null ? prev.assignedTo : prev.prevAssignedTo;
}

function features(given: FeatureMap | undefined, prev: NumberRecord, state: NumberState): FeatureMap {
  return given ?? featuresForState(prev.features, state);
}

/** The deleted state: gone from the inventory, history kept in the stream. */
function deleted(prev: NumberRecord, prevAssignedTo?: string | null): Partial<NumberRecord> {
  return {
    state: 'deleted',
    assignedTo: null,
    prevAssignedTo: prevAssignedTo !== undefined ? prevAssignedTo : prevAfter(prev, null),
    reserveHistory: [],
    features: {},
    usedBy: [],
    agingUntil: null,
    reservationExpiresAt: null,
    discoveryExpiresAt: null,
    pendingOrder: null,
  };
}

/**
 * Applies one event. Events carry the facts they set; fields marked optional
 * in older shapes are derived here the same way `decide` computes them.
 */
export function evolve(state: NumberRecord, event: NumberEvent): NumberRecord {
  const base = { version: state.version + 1, updatedAt: event.at, createdAt: state.createdAt ?? event.at, exists: true };
  switch (event.type) {
    case 'NumberAdded.v1': {
      const prev = isLive(state) ? state : fresh(state);
      return {
        ...prev, ...base,
        state: event.state,
        carrierModule: event.carrierModule,
        assignedTo: event.assignedTo,
        prevAssignedTo: event.prevAssignedTo !== undefined ? event.prevAssignedTo : prevAfter(prev, event.assignedTo),
        reserveHistory: event.reserveHistory,
        agingUntil: event.agingUntil,
        features: features(event.features, prev, event.state),
        usedBy: usageAfter(prev, event.assignedTo),
        poolAccountId: event.poolAccountId !== undefined ? event.poolAccountId : (prev.poolAccountId ?? null),
        reservationExpiresAt: null,
        discoveryExpiresAt: null,
      };
    }
    case 'NumberDiscovered.v1':
      return {
        ...fresh(state), ...base,
        // Found again through another account: the services listing it still do.
        usedBy: state.exists && state.state === 'discovery' ? state.usedBy : [],
        state: 'discovery',
        carrierModule: event.carrierModule,
        discoveryExpiresAt: event.expiresAt,
        poolAccountId: event.poolAccountId ?? null,
      };
    case 'NumberReserved.v1':
      return {
        ...state, ...base,
        state: 'reserved',
        assignedTo: event.accountId,
        prevAssignedTo: event.prevAssignedTo,
        reserveHistory: event.reserveHistory,
        reservationExpiresAt: event.expiresAt,
        features: features(event.features, state, 'reserved'),
        usedBy: usageAfter(state, event.accountId),
        agingUntil: null,
        discoveryExpiresAt: null,
      };
    case 'NumberAcquired.v1':
      return {
        ...state, ...base,
        state: 'in_service',
        assignedTo: event.accountId,
        prevAssignedTo: event.prevAssignedTo,
        features: event.features,
        usedBy: usageAfter(state, event.accountId),
        agingUntil: null,
        reservationExpiresAt: null,
        discoveryExpiresAt: null,
      };
    case 'NumberPortInStarted.v1': {
      const prev = isLive(state) ? state : fresh(state);
      return {
        ...prev, ...base,
        state: 'port_in',
        carrierModule: event.carrierModule ?? (isLive(state) ? prev.carrierModule : 'knm_local'),
        assignedTo: event.accountId,
        prevAssignedTo: event.prevAssignedTo !== undefined ? event.prevAssignedTo : prevAfter(prev, event.accountId),
        features: features(event.features, prev, 'port_in'),
        usedBy: usageAfter(prev, event.accountId),
        agingUntil: null,
        reservationExpiresAt: null,
        discoveryExpiresAt: null,
      };
    }
    case 'NumberReleased.v1':
      if (event.state === 'deleted') return { ...state, ...base, ...deleted(state, event.prevAssignedTo) };
      return {
        ...state, ...base,
        state: event.state,
        assignedTo: event.assignedTo,
        prevAssignedTo: event.prevAssignedTo,
        reserveHistory: event.reserveHistory,
        features: event.features,
        agingUntil: event.agingUntil,
        usedBy: usageAfter(state, event.assignedTo),
        poolAccountId: poolAfterRelease(state, event.assignedTo),
        reservationExpiresAt: null,
        discoveryExpiresAt: null,
      };
    case 'NumberAged.v1':
      return {
        ...state, ...base,
        state: 'available',
        agingUntil: null,
        features: features(event.features, state, 'available'),
      };
    case 'NumberDeleted.v1':
      return { ...state, ...base, ...deleted(state, event.prevAssignedTo) };
    case 'NumberDiscoveryExpired.v1':
      return { ...state, ...base, ...deleted(state) };
    case 'NumberFeaturesSet.v1':
      return {
        ...state, ...base,
        features: event.features,
        featureLists: event.featureLists ?? state.featureLists,
      };
    case 'NumberUsageSet.v1':
      return { ...state, ...base, usedBy: event.usedBy };
    case 'NumberOrderPending.v1':
      return {
        ...state, ...base,
        pendingOrder: { module: event.module, orderId: event.orderId, since: event.at, accountId: event.accountId, then: event.then },
        discoveryExpiresAt: null,
      };
    case 'NumberOrderConfirmed.v1':
      return { ...state, ...base, pendingOrder: null };
    case 'NumberOrderFailed.v1':
      return { ...state, ...base, ...deleted(state, event.accountId) };
    default: {
      // An event type this version does not know (written by a newer one):
      // it still counts as a revision of the stream.
      const unknown: never = event;
      void unknown;
      return { ...state, ...base };
    }
  }
}

/** Folds a number's stream (in order) into its current record. */
export function foldNumber(e164: string, events: Iterable<NumberEvent>): NumberRecord {
  let record = initialNumberRecord(e164);
  for (const e of events) record = evolve(record, e);
  return record;
}
