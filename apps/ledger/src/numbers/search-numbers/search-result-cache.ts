import type { UpstreamNumber } from '@ledger/carriers';
import type { LogPosition } from '@ledger/event-store/port';
import type { CarrierReport } from './carrier-fan-out';
import type { CarrierAccounts } from './record-discoveries';

/** One search's merged answer: the order every page of it is cut from. */
export interface SearchResult {
  /** E.164 numbers, inventory and upstream merged, sorted. */
  numbers: string[];
  /** What the carriers said about the numbers they found. */
  upstream: Map<string, UpstreamNumber>;
  carriers: CarrierReport[];
  /** Whose carrier account searched, per module: a `discovery` number in another pool is not on offer here. */
  carrierAccounts: CarrierAccounts;
  /** The projections must reach this before the numbers are read back (discoveries). */
  position: LogPosition | null;
}

const MAX_ENTRIES = 1000;

/**
 * Search answers per query key for a while (SPEC 9: later pages stay
 * consistent). Concurrent identical searches share one fan-out.
 */
export class SearchResultCache {
  private readonly entries = new Map<string, { result: Promise<SearchResult>; expiresAt: number }>();

  constructor(private readonly ttlMs: number, private readonly degradedTtlMs: number) {}

  async get(key: string, build: () => Promise<SearchResult>): Promise<SearchResult> {
    const now = Date.now();
    const hit = this.entries.get(key);
    if (hit && hit.expiresAt > now) return hit.result;
    const entry = { result: build(), expiresAt: now + this.ttlMs };
    this.entries.set(key, entry);
    this.evictOldest();
    try {
      const result = await entry.result;
      if (result.carriers.some((c) => c.status !== 'ok')) entry.expiresAt = Date.now() + this.degradedTtlMs;
      return result;
    } catch (err) {
      this.entries.delete(key);
      throw err;
    }
  }

  clear(): void {
    this.entries.clear();
  }

  private evictOldest(): void {
    while (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
  }
}
