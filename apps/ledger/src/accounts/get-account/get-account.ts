import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { Requester } from '@ledger/domain/types';
import { requireAccountAccess } from '../account-access';
import { AccountResource, presentAccount } from '../account-resource';
import { AccountTree } from '../account-tree';

export class GetAccountQuery extends Query<AccountResource> {
  constructor(readonly accountId: string, readonly requester: Requester) {
    super();
  }
}

@QueryHandler(GetAccountQuery)
export class GetAccountHandler implements IQueryHandler<GetAccountQuery, AccountResource> {
  constructor(private readonly tree: AccountTree) {}

  execute({ accountId, requester }: GetAccountQuery): Promise<AccountResource> {
    requireAccountAccess(this.tree, requester, accountId);
    return Promise.resolve(presentAccount(this.tree, accountId));
  }
}
