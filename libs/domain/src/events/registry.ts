import { accountEvents } from '../account/events';
import { auditEvents } from '../audit/events';
import { carrierSettingsEvents } from '../carrier-settings/events';
import { configEvents } from '../config/events';
import { numberEvents } from '../number/events';
import { serviceEvents } from '../service/events';
import { taskEvents } from '../task/events';
import type { EventCodec, StoredEvent } from './stored-event';
import { UnreadableEventError } from './stored-event';

/**
 * Every event type the ledger writes, by aggregate: the one place a stored type
 * string is known. (Reconciliation reports, `reconciliation-*`, are a log of
 * their own and not an aggregate; the log tree reads events as bytes.)
 */
export const EVENT_CODECS = {
  number: numberEvents,
  account: accountEvents,
  config: configEvents,
  service: serviceEvents,
  carrierSettings: carrierSettingsEvents,
  audit: auditEvents,
  task: taskEvents,
} as const;

type Codecs = typeof EVENT_CODECS;
export type AggregateName = keyof Codecs;
export type AnyDomainEvent = { [A in AggregateName]: Codecs[A] extends EventCodec<infer E> ? E : never }[AggregateName];

const byType = new Map<string, EventCodec<AnyDomainEvent>>();
for (const codec of Object.values(EVENT_CODECS) as EventCodec<AnyDomainEvent>[]) {
  for (const type of Object.keys(codec.shapes)) {
    if (byType.has(type)) throw new Error(`event type ${type} is declared by two aggregates`);
    byType.set(type, codec);
  }
}

/** The known event types, in declaration order. */
export const KNOWN_EVENT_TYPES: readonly string[] = [...byType.keys()];

/** Checks any stored event into its aggregate's domain event; `UnreadableEventError` for an unknown type or a bad payload. */
export function readStoredEvent(stored: StoredEvent): AnyDomainEvent {
  const codec = byType.get(stored.type);
  if (!codec) throw new UnreadableEventError(stored, 'unknown event type');
  return codec.read(stored);
}
