import { NumberEvent, NumberRecord } from '../../../../../libs/domain/src/types';

/**
 * Upstream effects that must succeed before a decision is recorded: ordering a
 * discovered number, disconnecting a released one. A failure throws `carrier_fault`
 * and nothing is appended.
 */
export interface CarrierGateway {
  /** True when recording `events` needs a call upstream first. */
  needsUpstream(record: NumberRecord, events: NumberEvent[]): boolean;
  beforeAppend(record: NumberRecord, events: NumberEvent[]): Promise<void>;
  /** Best effort, when what `beforeAppend` did could not be recorded after all (a number bought but never ours). */
  undo(record: NumberRecord, events: NumberEvent[]): Promise<void>;
}

/** Deployments without carrier integrations: nothing to call upstream. */
export const noCarrierCalls: CarrierGateway = { needsUpstream: () => false, beforeAppend: async () => undefined, undo: async () => undefined };
