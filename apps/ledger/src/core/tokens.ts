/** DI tokens for the core's values that have no class of their own. */
export const CORE_OPTIONS = Symbol('CoreOptions');
/** LedgerSettings, validated once (core/ledger-settings.ts). */
export const SETTINGS = Symbol('LedgerSettings');
/** One line of the service's log (pino's info in main.ts; silent in tests). */
export const LOG = Symbol('LogLine');
/** LedgerStores: the SQL client, the event store, the data directory's lock. */
export const STORES = Symbol('LedgerStores');
/** The system account's key (LEDGER_SYSTEM_KEY, or generated into the data directory). */
export const SYSTEM_KEY = Symbol('SystemKey');
/** The operator's key that seals carrier credentials (docs/secrets.md). */
export const OPERATOR_KEY = Symbol('OperatorKey');
/** Where carrier clients write their (already scrubbed) log lines. */
export const CARRIER_LOGGER = Symbol('CarrierLogger');

/** The store interfaces (TypeScript interfaces have no runtime value). */
export const SQL = Symbol('SqlClient');
export const EVENTS = Symbol('EventStore');

export type LogLine = (msg: string) => void;
