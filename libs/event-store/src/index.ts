export * from './port';
export { SqlEventStore } from './sql-event-store';
export type { SqlEventStoreOptions } from './sql-event-store';
export { openEventStore } from './open-event-store';
export type { EventStoreConfig } from './open-event-store';
// The EventStoreDB adapter (./esdb) is not re-exported here, so importing this index never
// loads the gRPC client; openEventStore loads it when `eventstoreUrl` is set.
// The contract suite (./contract) uses Jest globals and is imported by spec files directly.
export * from './command-handler';
