import { RecordedEvent } from '@ledger/event-store/port';
import { SqlExecutor } from '@ledger/sql/sql-client';

/**
 * A read model fed from the global log. `apply` receives a batch of events in
 * log order and writes its rows through `tx`, the same transaction that moves
 * the checkpoint: a crash never loses or doubles an event.
 */
export interface Projection {
  readonly name: string;
  /** Tables this projection owns, in creation order (rebuild truncates them, verify compares them). */
  readonly tables: ReadonlyArray<{ name: string; key: string }>;
  /** DDL creating the tables in `schema` (idempotent). */
  ddl(schema: string): string;
  apply(tx: SqlExecutor, events: RecordedEvent[], schema: string): Promise<void>;
  /** Called after the batch is committed (in-process caches). */
  afterCommit?(events: RecordedEvent[]): void;
  /** True for a cache that only follows the log (no rows, no checkpoint of its own). */
  readonly followsOnly?: boolean;
  /** True when it must see events exactly as stored, before any upcaster (the log tree commits to what was recorded). */
  readonly storedEvents?: boolean;
}

/**
 * Not a read model: an in-process cache that follows the log (every instance sees every
 * batch, whoever applied it) and is told about each committed batch.
 */
export function cacheWatcher(name: string, onBatch: (events: RecordedEvent[]) => void): Projection {
  return { name, tables: [], ddl: () => 'SELECT 1', apply: () => Promise.resolve(), afterCommit: onBatch, followsOnly: true };
}

/** Stream prefixes of this service: the projector's server-side filter on the global log. */
export const LEDGER_STREAM_PREFIXES = ['number-', 'account-', 'config-', 'service-', 'audit-', 'task-', 'reconciliation-'];
