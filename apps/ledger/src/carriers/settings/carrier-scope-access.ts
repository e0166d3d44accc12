import { Injectable } from '@nestjs/common';
import { SYSTEM_SCOPE } from '@ledger/domain/carrier-settings/events';
import { LedgerError } from '@ledger/domain/errors';
import { Requester } from '@ledger/domain/types';
import { requireAccountAccess } from '../../accounts/account-access';
import { AccountTree } from '../../accounts/account-tree';

/**
 * Who may read or change a scope's carrier settings (SPEC 4: per system and per reseller):
 * the system scope only the system; a reseller's scope the reseller or an account above it.
 */
@Injectable()
export class CarrierScopeAccess {
  constructor(private readonly accounts: AccountTree) {}

  mayRead(scope: string, requester: Requester): void {
    if (scope === SYSTEM_SCOPE) return systemOnly(requester);
    requireAccountAccess(this.accounts, requester, scope, 'read the carrier settings of');
  }

  mayConfigure(scope: string, requester: Requester): void {
    this.mayRead(scope, requester);
    if (scope !== SYSTEM_SCOPE && !this.accounts.get(scope)!.reseller) {
      throw new LedgerError('validation_failed', `carrier settings are kept per reseller; ${scope} is not a reseller`, { field: 'id' });
    }
  }
}

function systemOnly(requester: Requester): void {
  if (!requester.isSystem) throw new LedgerError('unauthorized', 'only the system may read or change the system carrier settings');
}
