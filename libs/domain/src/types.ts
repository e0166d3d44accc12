/**
 * The vocabulary of SPEC.md sections 1 to 5: states, carrier modules, the
 * number aggregate, its commands and its events. Pure data, no I/O.
 */

export const NUMBER_STATES = [
  'discovery', 'available', 'reserved', 'in_service', 'port_in', 'port_out', 'released', 'aging', 'deleted',
] as const;
export type NumberState = (typeof NUMBER_STATES)[number];

export const CARRIER_MODULES = [
  'knm_local', 'knm_inventory', 'knm_managed', 'knm_mdn', 'knm_reserved', 'knm_reserved_reseller', 'knm_inum',
  'knm_telnyx', 'knm_bandwidth2', 'knm_vitelity', 'knm_voip_innovations', 'knm_other',
] as const;
export type CarrierModule = (typeof CARRIER_MODULES)[number];

export const FEATURES = [
  'failover', 'force_outbound', 'prepend', 'ringback', 'cnam', 'e911', 'port', 'sms', 'mms', 'carrier_name',
] as const;
export type Feature = (typeof FEATURES)[number];

export const SERVICE_TYPES = [
  'device', 'user', 'callflow', 'trunk', 'hunt_group', 'voicemail', 'conference', 'fax', 'pickup_group', 'call_park',
] as const;
export type ServiceType = (typeof SERVICE_TYPES)[number];

export interface UsageRef {
  type: ServiceType;
  id: string;
  accountId: string;
}

export interface FeatureLists {
  allow?: Feature[] | null;
  deny?: Feature[] | null;
}

/** Current state of one number, folded from its stream by `evolve`. */
export interface NumberRecord {
  number: string;
  /** false until the first event (the stream does not exist). */
  exists: boolean;
  state: NumberState;
  carrierModule: CarrierModule;
  assignedTo: string | null;
  prevAssignedTo: string | null;
  /** Accounts the number was reserved for, newest first. */
  reserveHistory: string[];
  /** Active features and their settings. */
  features: Partial<Record<Feature, unknown>>;
  /** The number's own allow/deny lists (SPEC 5). */
  featureLists: FeatureLists;
  usedBy: UsageRef[];
  agingUntil: string | null;
  reservationExpiresAt: string | null;
  discoveryExpiresAt: string | null;
  /**
   * The account whose pool the number belongs to: knm_managed's predetermined account
   * (SPEC 4), or the reseller whose own carrier account found a `discovery` number (SPEC 12:
   * its offer is that tenant's data). Only that account and its descendants may find and take it.
   * Always set by `evolve` (null for other modules); optional for compatibility.
   */
  poolAccountId?: string | null;
  /**
   * A purchase the carrier has not confirmed yet (state stays `discovery`): the
   * number is not ours, not billed, and takes no other command until the
   * sweeper settles it (SettleOrder). Null otherwise; optional for compatibility.
   */
  pendingOrder?: PendingOrder | null;
  /** Number of events applied (stream revision + 1). */
  version: number;
  createdAt: string | null;
  updatedAt: string | null;
}

/** An order placed upstream and not yet confirmed by the carrier. */
export interface PendingOrder {
  module: CarrierModule;
  /** The carrier's order id, when it gave one. */
  orderId: string | null;
  /** When the order was placed. */
  since: string;
  /** The account the number goes to once confirmed. */
  accountId: string;
  /** What confirmation records: the reservation or acquisition decided when ordering. */
  then: NumberReserved | NumberAcquired;
}

/** Operator configuration (`/v1/config/number-manager`), SPEC defaults in `defaultConfig`. */
export interface NumberManagerConfig {
  carrierModules: CarrierModule[];
  releasedState: 'available' | 'released';
  shouldAge: boolean;
  agingPeriodDays: number;
  shouldPermanentlyDelete: boolean;
  discoveryExpiryDays: number;
  localFeatureOverride: boolean;
  features: { allow: Feature[] | null; deny: Feature[] };
  searchMinPrefixLength: number;
  /** Whether knm_inventory numbers are billable (SPEC 4, footnote). */
  billInventoryNumbers: boolean;
}

export interface AccountInfo {
  id: string;
  name: string;
  parentId: string | null;
  reseller: boolean;
  superAdmin: boolean;
  allowNumberAdditions: boolean;
  /** Most numbers billing may count for this account at once (SPEC 10 `service_restriction`); none when unset. */
  maxBillableNumbers?: number | null;
  /** Feature allow/deny lists a reseller sets for the numbers below it. */
  features?: FeatureLists;
}

/** Read-only view of the account tree that the decider consults. */
export interface AccountDirectory {
  get(id: string): AccountInfo | undefined;
  /** True when `ancestorId` lies on `id`'s path to the root, or equals it. */
  isAncestor(ancestorId: string, id: string): boolean;
  /** The closest reseller above (or at) `id`, if any. */
  resellerOf(id: string): AccountInfo | undefined;
}

export interface Requester {
  /** The acting account; `system` for the operator. */
  accountId: string;
  isSystem: boolean;
}

export interface DecisionContext {
  now: Date;
  requester: Requester;
  accounts: AccountDirectory;
  config: NumberManagerConfig;
}

// ---- commands ---------------------------------------------------------------

export interface AddNumber {
  type: 'AddNumber';
  carrierModule?: CarrierModule;
  state?: NumberState;
  accountId?: string;
  /** Only the mobile-services entry (`POST /v1/mdn-numbers`) may create knm_mdn numbers. */
  viaMdnEntry?: boolean;
}
export interface ReserveNumber { type: 'ReserveNumber'; accountId?: string; expiresAt?: string }
export interface AcquireNumber { type: 'AcquireNumber'; accountId?: string }
export interface ReleaseNumber { type: 'ReleaseNumber'; reason?: 'requested' | 'reservation_expired' }
export interface AgeNumber { type: 'AgeNumber'; force?: boolean }
export interface DeleteNumber { type: 'DeleteNumber' }
export interface PortIn { type: 'PortIn'; accountId?: string }
/** `null` removes a feature. */
export interface SetFeatures {
  type: 'SetFeatures';
  changes: Partial<Record<Feature, unknown>>; // null removes the feature
  /** Replace the number's own allow/deny lists (SPEC 5); admins and the holder's resellers only. */
  featureLists?: FeatureLists;
}
/**
 * `foundFor`: the reseller whose own carrier account found the number (null or absent: the
 * operator's). Only that reseller's subtree may then find it, and only that account buys it.
 */
export interface DiscoverNumber { type: 'DiscoverNumber'; carrierModule: CarrierModule; foundFor?: string | null }
export interface ExpireDiscovery {
  type: 'ExpireDiscovery';
  /** Operator purge: expire even before `discoveryExpiresAt`. */
  force?: boolean;
}
/** The services that use the number (fed by provisioning / the audit, SPEC 7). Admins only. */
export interface SetUsage { type: 'SetUsage'; usedBy: UsageRef[] }
/** The carrier's answer to a pending order (sweeper, system only). */
export interface SettleOrder {
  type: 'SettleOrder';
  outcome: 'confirmed' | 'failed';
  orderId: string | null;
  /** The carrier's words, for a failed order. */
  reason?: string;
}

export type NumberCommand =
  | AddNumber | ReserveNumber | AcquireNumber | ReleaseNumber | AgeNumber | DeleteNumber
  | PortIn | SetFeatures | DiscoverNumber | ExpireDiscovery | SetUsage | SettleOrder;

// ---- events -------------------------------------------------------------------
// Each event carries the fields it sets (state-carrying facts), so `evolve` is a
// plain assignment and projections can reuse it. `at` is the decision instant.

export const EVENT_TYPES = {
  NumberAdded: 'NumberAdded.v1',
  NumberDiscovered: 'NumberDiscovered.v1',
  NumberReserved: 'NumberReserved.v1',
  NumberAcquired: 'NumberAcquired.v1',
  NumberPortInStarted: 'NumberPortInStarted.v1',
  NumberReleased: 'NumberReleased.v1',
  NumberAged: 'NumberAged.v1',
  NumberDeleted: 'NumberDeleted.v1',
  NumberFeaturesSet: 'NumberFeaturesSet.v1',
  NumberDiscoveryExpired: 'NumberDiscoveryExpired.v1',
  NumberUsageSet: 'NumberUsageSet.v1',
  NumberOrderPending: 'NumberOrderPending.v1',
  NumberOrderConfirmed: 'NumberOrderConfirmed.v1',
  NumberOrderFailed: 'NumberOrderFailed.v1',
} as const;

interface Base { at: string }

export interface NumberAdded extends Base {
  type: 'NumberAdded.v1';
  number: string;
  state: NumberState;
  carrierModule: CarrierModule;
  assignedTo: string | null;
  reserveHistory: string[];
  agingUntil: string | null;
  /** State before (re)creation; null for a new number (or one that was deleted). */
  from?: NumberState | null;
  /** Previous holder when a (re)creation changes the holder. Always set by `decide`. */
  prevAssignedTo?: string | null;
  /** Resulting features (SPEC 5 lifetime). Always set by `decide`. */
  features?: Partial<Record<Feature, unknown>>;
  /** knm_managed pool account (see NumberRecord.poolAccountId). */
  poolAccountId?: string | null;
}
export interface NumberDiscovered extends Base {
  type: 'NumberDiscovered.v1';
  number: string;
  carrierModule: CarrierModule;
  expiresAt: string;
  /** The reseller whose own carrier account found it, as the number's pool (absent: the operator's account). */
  poolAccountId?: string | null;
}
export interface NumberReserved extends Base {
  type: 'NumberReserved.v1';
  from: NumberState;
  accountId: string;
  prevAssignedTo: string | null;
  reserveHistory: string[];
  expiresAt: string | null;
  /** The carrier must be ordered from before this is recorded (from `discovery`). */
  orderFromCarrier: boolean;
  /** Resulting features (SPEC 5 lifetime, cleared on a holder change). Always set by `decide`. */
  features?: Partial<Record<Feature, unknown>>;
}
export interface NumberAcquired extends Base {
  type: 'NumberAcquired.v1';
  from: NumberState;
  accountId: string;
  prevAssignedTo: string | null;
  orderFromCarrier: boolean;
  /** Features removed because they do not apply in `in_service`... (none today) or on a holder change. */
  features: Partial<Record<Feature, unknown>>;
}
export interface NumberPortInStarted extends Base {
  type: 'NumberPortInStarted.v1';
  from: NumberState | null;
  accountId: string;
  /** Module of a newly created ported-in number (default knm_local); absent = unchanged. */
  carrierModule?: CarrierModule;
  prevAssignedTo?: string | null;
  /** Resulting features. Always set by `decide`. */
  features?: Partial<Record<Feature, unknown>>;
}
export interface NumberReleased extends Base {
  type: 'NumberReleased.v1';
  from: NumberState;
  /** Resulting state: `reserved` (history unwound), `deleted`, `available`, `released` or `aging`. */
  state: NumberState;
  assignedTo: string | null;
  prevAssignedTo: string | null;
  reserveHistory: string[];
  features: Partial<Record<Feature, unknown>>;
  agingUntil: string | null;
  /** The number is disconnected from its upstream carrier before this is recorded. */
  disconnectFromCarrier: boolean;
  reason: 'requested' | 'reservation_expired';
  /** What the carrier answered the disconnect; absent when none was asked (or before this was recorded). */
  upstream?: UpstreamDisconnect;
}
export interface NumberAged extends Base {
  type: 'NumberAged.v1';
  forced: boolean;
  /** Resulting features (state `available`). Always set by `decide`. */
  features?: Partial<Record<Feature, unknown>>;
}
export interface NumberDeleted extends Base {
  type: 'NumberDeleted.v1';
  from: NumberState;
  /** The holder before deletion (becomes prevAssignedTo). Always set by `decide`. */
  prevAssignedTo?: string | null;
  /** The number is disconnected from its upstream carrier (integration modules) before this is recorded. */
  disconnectFromCarrier?: boolean;
  /** What the carrier answered the disconnect, when one was asked. */
  upstream?: UpstreamDisconnect;
}
/**
 * `disconnected`: the carrier confirmed it gave the number back; `not_held`:
 * the carrier positively said the account does not have the number.
 */
export type UpstreamDisconnect = 'disconnected' | 'not_held';
export interface NumberFeaturesSet extends Base {
  type: 'NumberFeaturesSet.v1';
  features: Partial<Record<Feature, unknown>>;
  /** New own allow/deny lists, when changed. */
  featureLists?: FeatureLists;
}
export interface NumberDiscoveryExpired extends Base { type: 'NumberDiscoveryExpired.v1' }
export interface NumberUsageSet extends Base { type: 'NumberUsageSet.v1'; usedBy: UsageRef[] }
/** Ordered upstream, the carrier has not confirmed: the number stays in `discovery`, held for `accountId`. */
export interface NumberOrderPending extends Base {
  type: 'NumberOrderPending.v1';
  module: CarrierModule;
  orderId: string | null;
  accountId: string;
  then: NumberReserved | NumberAcquired;
}
/** The carrier confirmed the purchase; the stored reservation or acquisition follows in the same append. */
export interface NumberOrderConfirmed extends Base { type: 'NumberOrderConfirmed.v1'; orderId: string | null; accountId: string }
/** The carrier failed the order: the number was never ours, it leaves the account and the inventory. */
export interface NumberOrderFailed extends Base {
  type: 'NumberOrderFailed.v1';
  orderId: string | null;
  accountId: string;
  reason: string;
}

export type NumberEvent =
  | NumberAdded | NumberDiscovered | NumberReserved | NumberAcquired | NumberPortInStarted
  | NumberReleased | NumberAged | NumberDeleted | NumberFeaturesSet | NumberDiscoveryExpired | NumberUsageSet
  | NumberOrderPending | NumberOrderConfirmed | NumberOrderFailed;

export const numberStreamId = (e164: string): string => `number-${e164}`;
