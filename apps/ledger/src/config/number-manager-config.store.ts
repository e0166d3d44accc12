import { defaultConfig } from '../../../../libs/domain/src';
import { ACCOUNT_EVENT_TYPES, CONFIG_STREAM_ID, NumberManagerConfigured } from '../../../../libs/domain/src/account-events';
import { NumberManagerConfig } from '../../../../libs/domain/src/types';
import { EventStore } from '../../../../libs/event-store/src/port';

/** The operator configuration: the last `NumberManagerConfigured` event, SPEC defaults before any. */
export class NumberManagerConfigStore {
  private cached: { config: NumberManagerConfig; revision: number } | null = null;

  constructor(private readonly events: EventStore) {}

  async current(): Promise<{ config: NumberManagerConfig; revision: number }> {
    if (this.cached) return this.cached;
    const [last] = await this.events.readStream(CONFIG_STREAM_ID, { direction: 'backwards', maxCount: 1 });
    const config = last ? { ...defaultConfig(), ...(last.data as unknown as NumberManagerConfigured).config } : defaultConfig();
    this.cached = { config, revision: last ? last.revision : -1 };
    return this.cached;
  }

  async config(): Promise<NumberManagerConfig> {
    return (await this.current()).config;
  }

  /** Called when the projector sees a configuration event (possibly from another instance). */
  invalidate(): void {
    this.cached = null;
  }

  eventType = ACCOUNT_EVENT_TYPES.NumberManagerConfigured;
}
