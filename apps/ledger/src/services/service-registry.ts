import { randomUUID } from 'node:crypto';
import { LedgerError } from '@ledger/domain/errors';
import { ServiceType } from '@ledger/domain/types';
import { EventStore, LogPosition, RecordedEvent, WrongExpectedRevisionError } from '@ledger/event-store/port';
import { SERVICE_EVENT_TYPES, ServiceRegistered, serviceStreamId } from '@ledger/projections/usage/service-events';
import { CommandMeta, eventMetadata } from '../numbers/command-runner/command-meta';
import { UNKNOWN_POSITION } from '@ledger/event-store/esdb/esdb-mapping';
import { UsageSync } from './usage-sync';

export interface ServiceKey {
  accountId: string;
  type: ServiceType;
  serviceId: string;
}

export interface ServiceView extends ServiceKey {
  name: string | null;
  numbers: string[];
  updatedAt: string | null;
}

interface ServiceStream {
  live: ServiceRegistered | null;
  revision: number | 'no_stream';
  lastPosition?: LogPosition;
}

const MAX_ATTEMPTS = 4;

/**
 * Writes the service registry (one stream per service); the usage sync (a reactor on the log)
 * brings the numbers' usage in line, and a change answers once it has.
 */
export class ServiceRegistry {
  constructor(private readonly events: EventStore, private readonly usage: Pick<UsageSync, 'waitFor'>) {}

  async register(key: ServiceKey, name: string | null, numbers: string[], meta: CommandMeta): Promise<{ service: ServiceView; position: LogPosition | null }> {
    const sorted = [...new Set(numbers)].sort();
    const { position, unchangedSince } = await this.appendWith(key, meta, 'RegisterService', (current) => {
      if (current.live && current.live.name === name && sameList(current.live.numbers, sorted)) return null;
      return { type: SERVICE_EVENT_TYPES.ServiceRegistered, data: { ...key, name, numbers: sorted } };
    });
    // Unchanged (e.g. a retry after a 503): still answers only once usage follows the registry.
    const target = position ?? (unchangedSince !== UNKNOWN_POSITION ? unchangedSince : undefined);
    const synced = target ? await this.usage.waitFor(target) : null;
    return { service: { ...key, name, numbers: sorted, updatedAt: new Date().toISOString() }, position: synced ?? position };
  }

  async remove(key: ServiceKey, meta: CommandMeta): Promise<LogPosition> {
    const { position } = await this.appendWith(key, meta, 'RemoveService', (current) => {
      if (!current.live) throw new LedgerError('not_found', `service ${key.type}/${key.serviceId} is not registered for account ${key.accountId}`);
      return { type: SERVICE_EVENT_TYPES.ServiceRemoved, data: { ...key } };
    });
    return this.usage.waitFor(position!);
  }

  /** Reads the stream, decides, appends with the expected revision; retried when a concurrent write won. */
  private async appendWith(
    key: ServiceKey,
    meta: CommandMeta,
    command: string,
    decide: (current: ServiceStream) => { type: string; data: Record<string, unknown> } | null,
  ): Promise<{ before: ServiceRegistered | null; position: LogPosition | null; eventId: string; unchangedSince?: LogPosition }> {
    const streamId = serviceStreamId(key.accountId, key.type, key.serviceId);
    for (let attempt = 1; ; attempt++) {
      const current = fold(await this.events.readStream(streamId));
      const event = decide(current);
      const eventId = randomUUID();
      if (!event) return { before: current.live, position: null, eventId, unchangedSince: current.lastPosition };
      try {
        const r = await this.events.append(
          streamId,
          [{ id: eventId, type: event.type, data: { ...event.data, at: new Date().toISOString() }, metadata: eventMetadata(meta, command) }],
          current.revision,
        );
        return { before: current.live, position: r.position, eventId };
      } catch (err) {
        if (!(err instanceof WrongExpectedRevisionError)) throw err;
        if (attempt >= MAX_ATTEMPTS) throw new LedgerError('concurrency_conflict', `a concurrent change to service ${key.serviceId} won; retry`);
      }
    }
  }

}

function fold(events: RecordedEvent[]): ServiceStream {
  let live: ServiceRegistered | null = null;
  for (const e of events) {
    if (e.type === SERVICE_EVENT_TYPES.ServiceRegistered) live = e.data as unknown as ServiceRegistered;
    if (e.type === SERVICE_EVENT_TYPES.ServiceRemoved) live = null;
  }
  const last = events[events.length - 1];
  return { live, revision: last ? last.revision : 'no_stream', lastPosition: last?.position };
}

function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
