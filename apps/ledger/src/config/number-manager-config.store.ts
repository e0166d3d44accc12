import { CONFIG_STREAM_ID, configDecider, configEvents } from '@ledger/domain/config';
import { NumberManagerConfig } from '@ledger/domain/types';
import { EventStore, RecordedEvent } from '@ledger/event-store/port';

/** The operator configuration: the last `NumberManagerConfigured` event, SPEC defaults before any. */
export class NumberManagerConfigStore {
  private cached: Promise<{ config: NumberManagerConfig; revision: number }> | null = null;
  private cachedHistory: Promise<Array<{ from: Date | null; config: NumberManagerConfig }>> | null = null;

  constructor(private readonly events: EventStore) {}

  current(): Promise<{ config: NumberManagerConfig; revision: number }> {
    if (!this.cached) {
      const read = this.read();
      this.cached = read;
      read.catch(() => {
        if (this.cached === read) this.cached = null; // a failed read is not remembered
      });
    }
    return this.cached;
  }

  private async read(): Promise<{ config: NumberManagerConfig; revision: number }> {
    const [last] = await this.events.readStream(CONFIG_STREAM_ID, { direction: 'backwards', maxCount: 1 });
    // Each event records the whole configuration: the last one is enough.
    return { config: last ? configAfter(last) : configDecider.initialState().config, revision: last ? last.revision : -1 };
  }

  async config(): Promise<NumberManagerConfig> {
    return (await this.current()).config;
  }

  /**
   * Every configuration since the beginning, each with the instant it was recorded (the
   * defaults first, from null), so that billing as of a past instant uses the one then in force.
   */
  history(): Promise<Array<{ from: Date | null; config: NumberManagerConfig }>> {
    if (!this.cachedHistory) {
      const read = this.readHistory();
      this.cachedHistory = read;
      read.catch(() => {
        if (this.cachedHistory === read) this.cachedHistory = null;
      });
    }
    return this.cachedHistory;
  }

  private async readHistory(): Promise<Array<{ from: Date | null; config: NumberManagerConfig }>> {
    const events = await this.events.readStream(CONFIG_STREAM_ID);
    return [
      { from: null, config: configDecider.initialState().config },
      ...events.map((e) => ({ from: e.recordedAt, config: configAfter(e) })),
    ];
  }

  /** Called when the projector sees a configuration event (possibly from another instance). */
  invalidate(): void {
    this.cached = null;
    this.cachedHistory = null;
  }
}

function configAfter(event: RecordedEvent): NumberManagerConfig {
  return configDecider.evolve(configDecider.initialState(), configEvents.read(event)).config;
}
