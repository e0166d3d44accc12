import { randomUUID } from 'node:crypto';
import type { CarrierConfig, CarrierSettingsInput, IntegrationModule } from '@ledger/carriers';
import { EventMetadata, EventStore, WrongExpectedRevisionError } from '@ledger/event-store/port';
import { LedgerError } from '@ledger/domain/errors';
import { cacheWatcher, type Projection } from '@ledger/projections/projection';
import {
  CARRIER_EVENT_TYPES, CARRIER_STREAM_PREFIX, carrierStreamId, CarrierCredentialsShredded, CarrierModulesEnabled, CarrierSettingsConfigured,
  CarrierSettingsConfiguredSealed,
} from './carrier-settings.events';
import { CredentialSeal } from './credential-seal';

export interface ScopeCarrierConfig extends CarrierConfig {
  modules: Partial<Record<IntegrationModule, CarrierSettingsInput>>;
  /** Stream revision of the last event; -1 before any. */
  revision: number;
}

/** Carrier configuration per scope, folded from its stream and cached until a change is seen. */
export class CarrierSettingsStore {
  private readonly cache = new Map<string, Promise<ScopeCarrierConfig>>();
  /** Revision each cached scope was folded to, once its read has finished. */
  private readonly foldedTo = new Map<string, number>();
  private readonly listeners: (() => void)[] = [];

  constructor(private readonly events: EventStore, private readonly seal: CredentialSeal) {}

  scope(scope: string): Promise<ScopeCarrierConfig> {
    let found = this.cache.get(scope);
    if (!found) {
      const reading = this.read(scope);
      found = reading;
      reading.then(
        (config) => this.cache.get(scope) === reading && this.foldedTo.set(scope, config.revision),
        () => this.cache.get(scope) === reading && this.cache.delete(scope),
      );
      this.cache.set(scope, reading);
    }
    return found;
  }

  /** Records the module's settings; the credentials only sealed (SPEC 12). */
  async configureModule(scope: string, module: IntegrationModule, settings: CarrierSettingsInput, metadata: EventMetadata) {
    const { credentials, ...rest } = settings;
    const sealedCredentials = credentials ? await this.seal.seal(scope, module, credentials) : null;
    const data: CarrierSettingsConfiguredSealed = { module, settings: rest, sealedCredentials, at: new Date().toISOString() };
    return this.append(scope, CARRIER_EVENT_TYPES.CarrierSettingsConfiguredSealed, { ...data }, metadata);
  }

  /** Destroys the scope's data keys (crypto-shredding): its credentials, in every event, can never be read again. */
  async shredCredentials(scope: string, metadata: EventMetadata) {
    const keys = await this.seal.shred(scope);
    const data: CarrierCredentialsShredded = { keys, at: new Date().toISOString() };
    return this.append(scope, CARRIER_EVENT_TYPES.CarrierCredentialsShredded, { ...data }, metadata);
  }

  async enableModules(scope: string, enabledModules: string[] | null, metadata: EventMetadata) {
    const data: CarrierModulesEnabled = { enabledModules, at: new Date().toISOString() };
    return this.append(scope, CARRIER_EVENT_TYPES.CarrierModulesEnabled, { ...data }, metadata);
  }

  /** Called on any carrier configuration event (possibly from another instance). */
  invalidate(): void {
    this.cache.clear();
    this.foldedTo.clear();
    for (const listener of this.listeners) listener();
  }

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  /** Watches the projector's batches for carrier configuration events. */
  watcher(): Projection {
    return cacheWatcher('carrier-settings-watcher', (events) => {
      if (events.some((e) => this.isNews(e))) this.invalidate();
    });
  }

  /**
   * Whether a projected event changes what this instance has cached. Our own
   * writes were folded right after they were appended, and the projector may
   * see them much later: clearing again then would throw away, for instance,
   * the search answers whose later pages must stay stable.
   */
  private isNews(event: { streamId: string; revision: number }): boolean {
    if (!event.streamId.startsWith(CARRIER_STREAM_PREFIX)) return false;
    const scope = event.streamId.slice(CARRIER_STREAM_PREFIX.length);
    if (!this.cache.has(scope)) return false;
    const folded = this.foldedTo.get(scope);
    return folded === undefined || folded < event.revision;
  }

  private async append(scope: string, type: string, data: Record<string, unknown>, metadata: EventMetadata) {
    const { revision } = await this.scope(scope);
    try {
      const result = await this.events.append(
        carrierStreamId(scope),
        [{ id: randomUUID(), type, data, metadata }],
        revision < 0 ? 'no_stream' : revision,
      );
      return result.position;
    } catch (err) {
      if (err instanceof WrongExpectedRevisionError) throw new LedgerError('concurrency_conflict', 'the carrier configuration changed meanwhile; retry');
      throw err;
    } finally {
      this.invalidate();
    }
  }

  private async read(scope: string): Promise<ScopeCarrierConfig> {
    const config: ScopeCarrierConfig = { modules: {}, revision: -1 };
    for (const event of await this.events.readStream(carrierStreamId(scope))) {
      config.revision = event.revision;
      if (event.type === CARRIER_EVENT_TYPES.CarrierSettingsConfigured) {
        const { module, settings } = event.data as unknown as CarrierSettingsConfigured;
        config.modules[module] = settings;
      } else if (event.type === CARRIER_EVENT_TYPES.CarrierSettingsConfiguredSealed) {
        const { module, settings, sealedCredentials } = event.data as unknown as CarrierSettingsConfiguredSealed;
        const credentials = sealedCredentials ? await this.seal.open(scope, module, sealedCredentials) : null;
        config.modules[module] = sealedCredentials ? { ...settings, credentials: credentials ?? {} } : { ...settings };
      } else if (event.type === CARRIER_EVENT_TYPES.CarrierCredentialsShredded) {
        for (const settings of Object.values(config.modules)) if (settings?.credentials) settings.credentials = {};
      } else if (event.type === CARRIER_EVENT_TYPES.CarrierModulesEnabled) {
        const { enabledModules } = event.data as unknown as CarrierModulesEnabled;
        config.enabledModules = enabledModules ?? undefined;
      }
    }
    return config;
  }
}
