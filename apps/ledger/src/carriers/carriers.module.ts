import { Module } from '@nestjs/common';
import type { CarrierLogger } from '@ledger/carriers';
import type { EventStore } from '@ledger/event-store/port';
import { Projector } from '@ledger/projections/projector';
import type { SqlClient } from '@ledger/sql/sql-client';
import { AccountTree } from '../accounts/account-tree';
import { AccountsModule } from '../accounts/accounts.module';
import { ConfigModule } from '../config/config.module';
import { NumberManagerConfigStore } from '../config/number-manager-config.store';
import { CacheWatchers, WATCHERS } from '../core/cache-watchers';
import type { LedgerSettings } from '../core/ledger-settings';
import { operatorKeyFrom } from '../core/operator-key';
import { CARRIER_LOGGER, OPERATOR_KEY, SETTINGS, EVENTS, SQL } from '../core/tokens';
import { CarrierDirectory } from './carrier-directory';
import { CarrierSettingsStore } from './carrier-settings.store';
import { CredentialSeal } from './credential-seal';
import { CarrierReconciliations } from './reconciliation/carrier-reconciliations';
import { ReconciliationsController } from './reconciliation/reconciliations.http';
import { ResellerCarriersController } from './settings/reseller-carriers.http';
import { SystemCarriersController } from './settings/system-carriers.http';
import { CarrierScopeAccess } from './settings/carrier-scope-access';
import { ConfigureCarrierHandler } from './settings/configure-carrier/configure-carrier';
import { EnableCarrierModulesHandler } from './settings/enable-modules/enable-modules';
import { CarrierModuleHandler, EffectiveCarriersHandler, SystemCarriersHandler } from './settings/read-carrier-settings/read-carrier-settings';
import { ShredCarrierCredentialsHandler } from './settings/shred-credentials/shred-credentials';
import { UpstreamCarrierGateway } from './upstream-carrier-gateway';
import { ReconcileCarriersHandler } from './reconciliation/reconcile-carriers';
import { GetReconciliationHandler, ListReconciliationsHandler } from './reconciliation/read-reconciliations';

/** Upstream carriers: settings per system and reseller, sealed credentials, clients, reconciliation. */
@Module({
  imports: [AccountsModule, ConfigModule],
  controllers: [SystemCarriersController, ResellerCarriersController, ReconciliationsController],
  providers: [
    ReconcileCarriersHandler, GetReconciliationHandler, ListReconciliationsHandler,
    CarrierScopeAccess, ConfigureCarrierHandler, ShredCarrierCredentialsHandler, EnableCarrierModulesHandler,
    SystemCarriersHandler, CarrierModuleHandler, EffectiveCarriersHandler,
    {
      provide: CredentialSeal,
      useFactory: (sql: SqlClient, settings: LedgerSettings, operatorKey: Buffer) =>
        new CredentialSeal(sql, settings.readModelSchema, operatorKey, settings.previousSecretsKey ? operatorKeyFrom(settings.previousSecretsKey) : null),
      inject: [SQL, SETTINGS, OPERATOR_KEY],
    },
    {
      provide: CarrierSettingsStore,
      useFactory: (events: EventStore, seal: CredentialSeal, watchers: CacheWatchers) => {
        const store = new CarrierSettingsStore(events, seal);
        watchers.listen(WATCHERS.carrierSettings, (batch) => store.heard(batch));
        return store;
      },
      inject: [EVENTS, CredentialSeal, CacheWatchers],
    },
    {
      provide: CarrierDirectory,
      useFactory: (store: CarrierSettingsStore, accounts: AccountTree, config: NumberManagerConfigStore, logger: CarrierLogger) =>
        new CarrierDirectory(store, accounts, config, logger),
      inject: [CarrierSettingsStore, AccountTree, NumberManagerConfigStore, CARRIER_LOGGER],
    },
    {
      provide: UpstreamCarrierGateway,
      useFactory: (directory: CarrierDirectory) => new UpstreamCarrierGateway(directory),
      inject: [CarrierDirectory],
    },
    {
      provide: CarrierReconciliations,
      useFactory: (sql: SqlClient, events: EventStore, projector: Projector, directory: CarrierDirectory, config: NumberManagerConfigStore, accounts: AccountTree) =>
        new CarrierReconciliations({ sql, events, projector }, directory, config, accounts),
      inject: [SQL, EVENTS, Projector, CarrierDirectory, NumberManagerConfigStore, AccountTree],
    },
  ],
  exports: [CredentialSeal, CarrierSettingsStore, CarrierDirectory, UpstreamCarrierGateway, CarrierReconciliations],
})
export class CarriersModule {}
