import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { requireAccountAccess } from '../../accounts/account-access';
import { ListAccountNumbersQuery } from '../../accounts/account-numbers/list-account-numbers';
import { AccountTree } from '../../accounts/account-tree';
import { ListNumbersHandler, ListNumbersQuery, NumberPage } from './list-numbers.http';

@QueryHandler(ListAccountNumbersQuery)
export class ListAccountNumbersHandler implements IQueryHandler<ListAccountNumbersQuery, NumberPage> {
  constructor(private readonly tree: AccountTree, private readonly listing: ListNumbersHandler) {}

  execute({ accountId, filters, requester }: ListAccountNumbersQuery): Promise<NumberPage> {
    requireAccountAccess(this.tree, requester, accountId);
    return this.listing.execute(new ListNumbersQuery({ assignedTo: accountId, state: filters.state, limit: 1000 }, requester));
  }
}
