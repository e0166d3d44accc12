import { LedgerError } from '@ledger/domain/errors';
import {
  ServiceCommand, serviceDecider, ServiceEvent, serviceEvents, ServiceKey, serviceNumbers, ServiceState, serviceStreamId,
} from '@ledger/domain/service';
import { CommandHandler } from '@ledger/event-store/command-handler';
import { EventStore, LogPosition } from '@ledger/event-store/port';
import { RequestContext, eventMetadata } from '../core/request-context';
import { UNKNOWN_POSITION } from '@ledger/event-store/esdb/esdb-mapping';
import { UsageSync } from './usage-sync';

export type { ServiceKey };

export interface ServiceView extends ServiceKey {
  name: string | null;
  numbers: string[];
  updatedAt: string | null;
}

/**
 * Writes the service registry (one stream per service); the usage sync (a reactor on the log)
 * brings the numbers' usage in line, and a change answers once it has.
 */
export class ServiceRegistry {
  constructor(private readonly events: EventStore, private readonly usage: Pick<UsageSync, 'waitFor'>) {}

  async register(key: ServiceKey, name: string | null, numbers: string[], meta: RequestContext): Promise<{ service: ServiceView; position: LogPosition | null }> {
    const done = await this.handle(key, { type: 'RegisterService', key, name, numbers, at: now() }, meta);
    const position = done.newEvents.length > 0 ? done.position : null;
    // Unchanged (e.g. a retry after a 503): still answers only once usage follows the registry.
    const unchangedSince = done.position ?? undefined;
    const target = position ?? (unchangedSince !== UNKNOWN_POSITION ? unchangedSince : undefined);
    const synced = target ? await this.usage.waitFor(target) : null;
    return { service: { ...key, name, numbers: serviceNumbers(numbers), updatedAt: now() }, position: synced ?? position };
  }

  async remove(key: ServiceKey, meta: RequestContext): Promise<LogPosition> {
    const done = await this.handle(key, { type: 'RemoveService', key, at: now() }, meta);
    return this.usage.waitFor(done.position!);
  }

  private handle(key: ServiceKey, command: ServiceCommand, meta: RequestContext) {
    const handler = new CommandHandler<ServiceCommand, ServiceEvent, ServiceState>(this.events, () => serviceDecider, {
      codec: serviceEvents,
      conflict: () => new LedgerError('concurrency_conflict', `a concurrent change to service ${key.serviceId} won; retry`),
    });
    return handler.handle(serviceStreamId(key.accountId, key.type, key.serviceId), command, { metadata: eventMetadata(meta, command.type) });
  }
}

const now = () => new Date().toISOString();
