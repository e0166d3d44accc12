import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { Requester } from '@ledger/domain/types';
import { Projector } from '@ledger/projections/projector';
import { SqlClient } from '@ledger/sql/sql-client';
import { requireAccountAccess } from '../accounts/account-access';
import { AccountTree } from '../accounts/account-tree';
import { NumberManagerConfigStore } from '../config/number-manager-config.store';
import { awaitMinPosition } from '../core/position';
import { SQL } from '../core/tokens';
import { AccountQueries } from '@ledger/projections/accounts/queries';
import { Quantities, quantitiesByAccount, sumQuantities } from './billing-quantities';
import type { BillingWhen } from './billing-when';

/** Quantities of one account, or of its subtree (cascade), at one instant or over a period. */
export class BillingQuery extends Query<Quantities> {
  constructor(readonly accountId: string, readonly when: BillingWhen, readonly cascade: boolean, readonly requester: Requester, readonly minPosition?: string) {
    super();
  }
}

@QueryHandler(BillingQuery)
export class BillingQueryHandler implements IQueryHandler<BillingQuery, Quantities> {
  constructor(
    @Inject(SQL) private readonly sql: SqlClient,
    private readonly tree: AccountTree,
    private readonly projector: Projector,
    private readonly config: NumberManagerConfigStore,
  ) {}

  async execute({ accountId, when, cascade, requester, minPosition }: BillingQuery): Promise<Quantities> {
    const byAccount = await this.byAccount(accountId, when, cascade, requester, minPosition);
    return cascade ? sumQuantities(byAccount.values()) : byAccount.get(accountId)!;
  }

  /** Every account of the subtree (cascade) or only the account, each with its own quantities. */
  async byAccount(accountId: string, when: BillingWhen, cascade: boolean, requester: Requester, minPosition?: string): Promise<Map<string, Quantities>> {
    requireAccountAccess(this.tree, requester, accountId);
    await awaitMinPosition(this.projector, minPosition, ['billing', 'accounts']);
    const accounts = cascade ? await new AccountQueries(this.sql, this.projector.schema).subtreeOf(accountId) : [accountId];
    return quantitiesByAccount(this.sql, this.projector.schema, accounts, when, await this.config.history());
  }
}

/** Billing at one instant: `asOf`, or now. */
export function instant(asOf?: string): BillingWhen {
  return asOf ? { kind: 'asOf', at: new Date(asOf) } : { kind: 'now' };
}
