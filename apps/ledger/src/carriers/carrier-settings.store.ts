import type { CarrierConfig, CarrierSettingsInput, IntegrationModule } from '@ledger/carriers';
import {
  CARRIER_STREAM_PREFIX, carrierSettingsDecider, CarrierSettingsCommand, CarrierSettingsEvent, carrierSettingsEvents, CarrierSettingsState,
  carrierStreamId,
} from '@ledger/domain/carrier-settings';
import { LedgerError } from '@ledger/domain/errors';
import { CommandHandler, Loaded } from '@ledger/event-store/command-handler';
import { EventMetadata, EventStore, LogPosition, RecordedEvent } from '@ledger/event-store/port';
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
  /** The stream as folded for each cached scope (credentials still sealed): what a change is decided on. */
  private readonly recorded = new Map<string, Loaded<CarrierSettingsState>>();
  private readonly listeners: (() => void)[] = [];
  private readonly handler: CommandHandler<CarrierSettingsCommand, CarrierSettingsEvent, CarrierSettingsState>;

  constructor(events: EventStore, private readonly seal: CredentialSeal) {
    // A change is decided on the configuration this instance has read; a concurrent change wins (no retry).
    this.handler = new CommandHandler(events, () => carrierSettingsDecider, {
      codec: carrierSettingsEvents,
      maxAttempts: 1,
      conflict: () => new LedgerError('concurrency_conflict', 'the carrier configuration changed meanwhile; retry'),
    });
  }

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
    return this.record(scope, { type: 'ConfigureCarrierModule', module, settings: { ...rest }, sealedCredentials, at: now() }, metadata);
  }

  /** Destroys the scope's data keys (crypto-shredding): its credentials, in every event, can never be read again. */
  async shredCredentials(scope: string, metadata: EventMetadata) {
    const keys = await this.seal.shred(scope);
    return this.record(scope, { type: 'ShredCarrierCredentials', keys, at: now() }, metadata);
  }

  async enableModules(scope: string, enabledModules: string[] | null, metadata: EventMetadata) {
    return this.record(scope, { type: 'EnableCarrierModules', enabledModules, at: now() }, metadata);
  }

  /** Called on any carrier configuration event (possibly from another instance). */
  invalidate(): void {
    this.cache.clear();
    this.foldedTo.clear();
    this.recorded.clear();
    for (const listener of this.listeners) listener();
  }

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  /** A batch the projector committed (any instance's events): a carrier configuration change clears the cache. */
  heard(events: RecordedEvent[]): void {
    if (events.some((e) => this.isNews(e))) this.invalidate();
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

  private async record(scope: string, command: CarrierSettingsCommand, metadata: EventMetadata): Promise<LogPosition> {
    await this.scope(scope);
    try {
      const { position } = await this.handler.handle(carrierStreamId(scope), command, { metadata, known: this.recorded.get(scope) });
      return position!;
    } finally {
      this.invalidate();
    }
  }

  private async read(scope: string): Promise<ScopeCarrierConfig> {
    const loaded = await this.handler.load(carrierStreamId(scope));
    this.recorded.set(scope, loaded);
    const config: ScopeCarrierConfig = { modules: {}, revision: loaded.revision === 'no_stream' ? -1 : loaded.revision };
    for (const [module, { settings, sealedCredentials }] of Object.entries(loaded.state.modules)) {
      const credentials = sealedCredentials ? await this.seal.open(scope, module, sealedCredentials) : null;
      // The document is the carriers library's; it checks it when a client is built from it.
      config.modules[module as IntegrationModule] = sealedCredentials ? { ...settings, credentials: credentials ?? {} } : { ...settings };
    }
    if (loaded.state.enabledModules !== null) config.enabledModules = loaded.state.enabledModules;
    return config;
  }
}

const now = () => new Date().toISOString();
