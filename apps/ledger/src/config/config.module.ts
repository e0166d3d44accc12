import { Module } from '@nestjs/common';
import { CONFIG_STREAM_ID } from '@ledger/domain/config/events';
import type { EventStore } from '@ledger/event-store/port';
import { CacheWatchers, WATCHERS } from '../core/cache-watchers';
import { EVENTS } from '../core/tokens';
import { AccountsModule } from '../accounts/accounts.module';
import { NumberManagerConfigController } from './number-manager-config.http';
import { NumberManagerConfigStore } from './number-manager-config.store';
import { ConfigureNumberManagerHandler } from './configure-number-manager/configure-number-manager.handler';
import { GetNumberManagerConfigHandler } from './get-number-manager-config/get-number-manager-config.handler';

/** The number-manager configuration (SPEC 10). */
@Module({
  imports: [AccountsModule],
  controllers: [NumberManagerConfigController],
  providers: [
    {
      provide: NumberManagerConfigStore,
      useFactory: (events: EventStore, watchers: CacheWatchers) => {
        const store = new NumberManagerConfigStore(events);
        // Another instance changed it: the cached copy is stale.
        watchers.listen(WATCHERS.config, (batch) => {
          if (batch.some((e) => e.streamId === CONFIG_STREAM_ID)) store.invalidate();
        });
        return store;
      },
      inject: [EVENTS, CacheWatchers],
    },
    ConfigureNumberManagerHandler, GetNumberManagerConfigHandler,
  ],
  exports: [NumberManagerConfigStore, ConfigureNumberManagerHandler, GetNumberManagerConfigHandler],
})
export class ConfigModule {}
