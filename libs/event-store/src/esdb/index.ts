export { EsdbEventStore } from './esdb-event-store';
export type { SubscriptionTuning } from './esdb-subscription';
export { DEFAULT_TUNING } from './esdb-subscription';
export { UNKNOWN_POSITION } from './esdb-mapping';
