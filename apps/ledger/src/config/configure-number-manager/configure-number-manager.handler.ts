import { Inject } from '@nestjs/common';
import { CommandHandler as HandlesCommand, ICommandHandler } from '@nestjs/cqrs';
import { CONFIG_STREAM_ID, ConfigCommand, configDecider, ConfigEvent, configEvents, ConfigState } from '@ledger/domain/config';
import { LedgerError } from '@ledger/domain/errors';
import { NumberManagerConfig } from '@ledger/domain/types';
import { CommandHandler } from '@ledger/event-store/command-handler';
import { EventStore, LogPosition } from '@ledger/event-store/port';
import { eventMetadata } from '../../core/request-context';
import { EVENTS } from '../../core/tokens';
import { NumberManagerConfigStore } from '../number-manager-config.store';
import { ConfigureNumberManagerCommand } from './configure-number-manager.command';

export interface Configured {
  config: NumberManagerConfig;
  position: LogPosition;
}

/**
 * Records a configuration change (stream `config-number-manager`, the config decider).
 * Decided on the configuration this instance holds; a concurrent change wins (no retry:
 * the operator sees `concurrency_conflict` and sends it again on what is now recorded).
 */
@HandlesCommand(ConfigureNumberManagerCommand)
export class ConfigureNumberManagerHandler implements ICommandHandler<ConfigureNumberManagerCommand, Configured> {
  private readonly handler: CommandHandler<ConfigCommand, ConfigEvent, ConfigState>;

  constructor(private readonly store: NumberManagerConfigStore, @Inject(EVENTS) events: EventStore) {
    this.handler = new CommandHandler(events, () => configDecider, {
      codec: configEvents,
      maxAttempts: 1,
      conflict: () => new LedgerError('concurrency_conflict', 'the configuration changed meanwhile; retry'),
    });
  }

  async execute({ changes, meta }: ConfigureNumberManagerCommand): Promise<Configured> {
    const { config, revision } = await this.store.current();
    const known = { state: { config }, revision: revision < 0 ? ('no_stream' as const) : revision, position: null };
    try {
      const done = await this.handler.handle(
        CONFIG_STREAM_ID,
        { type: 'ConfigureNumberManager', requester: meta.requester, changes, at: new Date().toISOString() },
        { metadata: eventMetadata(meta, 'ConfigureNumberManager'), known },
      );
      return { config: done.newState.config, position: done.position! };
    } finally {
      this.store.invalidate();
    }
  }
}
