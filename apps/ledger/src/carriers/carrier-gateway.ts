import { NumberEvent, NumberRecord, UpstreamDisconnect } from '@ledger/domain/types';

/** What the carrier answered, when it changes what is recorded. */
export interface UpstreamAnswer {
  /** The carrier took the order without confirming it within the module's bound. */
  pendingOrder?: { orderId: string | null };
  disconnect?: UpstreamDisconnect;
}

/**
 * Upstream effects that must succeed before a decision is recorded: ordering a
 * discovered number, disconnecting a released one. A failure throws `carrier_fault`
 * and nothing is appended.
 */
export interface CarrierGateway {
  /** True when recording `events` needs a call upstream first. */
  needsUpstream(record: NumberRecord, events: NumberEvent[]): boolean;
  beforeAppend(record: NumberRecord, events: NumberEvent[]): Promise<UpstreamAnswer | void>;
  /** Best effort, when what `beforeAppend` did could not be recorded after all (a number bought but never ours). */
  undo(record: NumberRecord, events: NumberEvent[]): Promise<void>;
}

/** Deployments without carrier integrations: nothing to call upstream. */
export const noCarrierCalls: CarrierGateway = { needsUpstream: () => false, beforeAppend: () => Promise.resolve(), undo: () => Promise.resolve() };
