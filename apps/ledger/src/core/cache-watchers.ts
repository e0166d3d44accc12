import { ACCOUNT_STREAM_PREFIX } from '@ledger/domain/account/events';
import { CARRIER_STREAM_PREFIX } from '@ledger/domain/carrier-settings/events';
import { CONFIG_STREAM_ID } from '@ledger/domain/config/events';
import type { RecordedEvent } from '@ledger/event-store/port';
import { cacheWatcher, type Projection } from '@ledger/projections/projection';

type Listener = (events: RecordedEvent[]) => void;

/**
 * The projector's committed batches, passed on to the caches of the areas above the core
 * (accounts, configuration, carrier settings): the projector is built here, the caches
 * there, and each cache listens under its watcher's name.
 */
export class CacheWatchers {
  private readonly listeners = new Map<string, Listener[]>();

  /** A projection named `name` that tells this name's listeners about each committed batch. */
  projection(name: string): Projection {
    return cacheWatcher(name, (events) => this.notify(name, events));
  }

  listen(name: string, listener: Listener): void {
    this.listeners.set(name, [...(this.listeners.get(name) ?? []), listener]);
  }

  notify(name: string, events: RecordedEvent[]): void {
    for (const listener of this.listeners.get(name) ?? []) listener(events);
  }
}

/** Watcher names (also the projections' names, as `GET /ready` and the checkpoints know them). */
export const WATCHERS = {
  accounts: 'accounts',
  config: 'config-watcher',
  carrierSettings: 'carrier-settings-watcher',
} as const;

/**
 * The streams the caches watch: accounts and configuration (number manager, carrier settings).
 * The projector thread relays only their events; numbers, the bulk of every batch, stay there.
 */
const WATCHED_STREAM_PREFIXES = [ACCOUNT_STREAM_PREFIX, CARRIER_STREAM_PREFIX, CONFIG_STREAM_ID];

export function isWatched(event: RecordedEvent): boolean {
  return WATCHED_STREAM_PREFIXES.some((prefix) => event.streamId.startsWith(prefix));
}
