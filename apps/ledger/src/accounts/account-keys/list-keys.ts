import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { Requester } from '@ledger/domain/types';
import { requireAccountAccess } from '../account-access';
import { AccountTree } from '../account-tree';
import { KeyRing } from '../key-ring';

export type KeyList = { data: Awaited<ReturnType<KeyRing['list']>> };

/** The account's keys: ids, names, when issued; never a key or its hash. */
export class ListKeysQuery extends Query<KeyList> {
  constructor(readonly accountId: string, readonly requester: Requester) {
    super();
  }
}

@QueryHandler(ListKeysQuery)
export class ListKeysHandler implements IQueryHandler<ListKeysQuery, KeyList> {
  constructor(private readonly tree: AccountTree, private readonly keys: KeyRing) {}

  async execute({ accountId, requester }: ListKeysQuery): Promise<KeyList> {
    requireAccountAccess(this.tree, requester, accountId);
    return { data: await this.keys.list(accountId) };
  }
}
