import { INestApplicationContext } from '@nestjs/common';
import type { CarrierLogger } from '@ledger/carriers';
import { Projector } from '@ledger/projections/projector';
import { AccountTree } from '../../apps/ledger/src/accounts/account-tree';
import { KeyRing } from '../../apps/ledger/src/accounts/key-ring';
import { CarrierDirectory } from '../../apps/ledger/src/carriers/carrier-directory';
import { CredentialSeal } from '../../apps/ledger/src/carriers/credential-seal';
import { CarrierReconciliations } from '../../apps/ledger/src/carriers/reconciliation/carrier-reconciliations';
import { NumberManagerConfigStore } from '../../apps/ledger/src/config/number-manager-config.store';
import type { LedgerSettings } from '../../apps/ledger/src/core/ledger-settings';
import { SETTINGS, STORES } from '../../apps/ledger/src/core/tokens';
import { VerifiableLog } from '../../apps/ledger/src/log/verifiable-log';
import { NumberCommandRunner } from '../../apps/ledger/src/numbers/command-runner/number-command-runner';
import { UsageSync } from '../../apps/ledger/src/services/usage-sync';
import type { LedgerStores } from '../../apps/ledger/src/core/open-stores';
import { Sweeper } from '../../apps/ledger/src/sweeper/sweeper';

/** The providers the suites reach into (to wait for positions, sweep now, read tables), taken from the app. */
export interface LedgerParts {
  settings: LedgerSettings;
  stores: LedgerStores;
  projector: Projector;
  runner: NumberCommandRunner;
  sweeper: Sweeper;
  usageSync: UsageSync;
  carriers: CarrierDirectory;
  reconciliations: CarrierReconciliations;
  accounts: AccountTree;
  config: NumberManagerConfigStore;
  keys: KeyRing;
  seal: CredentialSeal;
  log: VerifiableLog;
}

export function partsOf(app: INestApplicationContext): LedgerParts {
  return {
    settings: app.get<LedgerSettings>(SETTINGS),
    stores: app.get<LedgerStores>(STORES),
    projector: app.get(Projector),
    runner: app.get(NumberCommandRunner),
    sweeper: app.get(Sweeper),
    usageSync: app.get(UsageSync),
    carriers: app.get(CarrierDirectory),
    reconciliations: app.get(CarrierReconciliations),
    accounts: app.get(AccountTree),
    config: app.get(NumberManagerConfigStore),
    keys: app.get(KeyRing),
    seal: app.get(CredentialSeal),
    log: app.get(VerifiableLog),
  };
}

/** A carrier logger a suite points at its capture once the service runs (`use`); silent until then. */
export class CarrierLogRelay implements CarrierLogger {
  private target: CarrierLogger | null = null;

  use(logger: CarrierLogger): void {
    this.target = logger;
  }

  debug(fields: Record<string, unknown>, message: string): void {
    this.target?.debug(fields, message);
  }

  warn(fields: Record<string, unknown>, message: string): void {
    this.target?.warn(fields, message);
  }
}
