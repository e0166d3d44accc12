import { checkStored, type EventCodec } from '../events/stored-event';
import type { EventShape } from '../events/event-shape';
import { EVENT_TYPES, type NumberEvent } from '../types';

/**
 * The number's events as the log keeps them: stream `number-<e164>`, the type
 * strings of `EVENT_TYPES`, the payload flat beside `type` (the event types
 * themselves are declared with the commands in `types.ts`). Fields marked `?`
 * may be absent in older events; `evolve` derives them.
 */
export const NUMBER_EVENT_SHAPES: Readonly<Record<NumberEvent['type'], EventShape>> = {
  [EVENT_TYPES.NumberAdded]: {
    at: 'string', number: 'string', state: 'string', carrierModule: 'string', assignedTo: 'string|null', reserveHistory: 'array',
    agingUntil: 'string|null', prevAssignedTo: 'string|null?', features: 'object?', poolAccountId: 'string|null?',
  },
  [EVENT_TYPES.NumberDiscovered]: { at: 'string', number: 'string', carrierModule: 'string', expiresAt: 'string', poolAccountId: 'string|null?' },
  [EVENT_TYPES.NumberReserved]: {
    at: 'string', accountId: 'string', prevAssignedTo: 'string|null', reserveHistory: 'array', expiresAt: 'string|null', features: 'object?',
  },
  [EVENT_TYPES.NumberAcquired]: { at: 'string', accountId: 'string', prevAssignedTo: 'string|null', features: 'object' },
  [EVENT_TYPES.NumberPortInStarted]: {
    at: 'string', accountId: 'string', carrierModule: 'string?', prevAssignedTo: 'string|null?', features: 'object?',
  },
  [EVENT_TYPES.NumberReleased]: {
    at: 'string', state: 'string', assignedTo: 'string|null', prevAssignedTo: 'string|null', reserveHistory: 'array', features: 'object',
    agingUntil: 'string|null',
  },
  [EVENT_TYPES.NumberAged]: { at: 'string', features: 'object?' },
  [EVENT_TYPES.NumberDeleted]: { at: 'string', prevAssignedTo: 'string|null?' },
  [EVENT_TYPES.NumberFeaturesSet]: { at: 'string', features: 'object', featureLists: 'object?' },
  [EVENT_TYPES.NumberDiscoveryExpired]: { at: 'string' },
  [EVENT_TYPES.NumberUsageSet]: { at: 'string', usedBy: 'array' },
  [EVENT_TYPES.NumberOrderPending]: { at: 'string', module: 'string', orderId: 'string|null', accountId: 'string', then: 'object' },
  [EVENT_TYPES.NumberOrderConfirmed]: { at: 'string' },
  [EVENT_TYPES.NumberOrderFailed]: { at: 'string', accountId: 'string' },
};

/** Number events to and from the log; the cast follows the shape check. */
export const numberEvents: EventCodec<NumberEvent> = {
  shapes: NUMBER_EVENT_SHAPES,
  read(stored) {
    checkStored(stored, NUMBER_EVENT_SHAPES);
    return { ...stored.data, type: stored.type } as NumberEvent;
  },
  write({ type, ...data }) {
    return { type, data };
  },
};

/** The number events of a stream, checked (throws `UnreadableEventError` on the first it cannot read). */
export function readNumberEvents(stored: Iterable<{ type: string; data: Record<string, unknown>; streamId?: string; revision?: number }>): NumberEvent[] {
  return [...stored].map((e) => numberEvents.read(e));
}
