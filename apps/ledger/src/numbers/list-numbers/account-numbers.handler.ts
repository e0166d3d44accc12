import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { AccountNumbersQuery } from '../../accounts/account-numbers.query';
import { ListNumbersHandler, ListNumbersQuery } from './list-numbers.http';

/** The accounts entry's `GET /v1/accounts/:id/numbers`: the listing of what the account holds. */
@QueryHandler(AccountNumbersQuery)
export class AccountNumbersHandler implements IQueryHandler<AccountNumbersQuery> {
  constructor(private readonly listing: ListNumbersHandler) {}

  execute({ accountId, state, requester }: AccountNumbersQuery) {
    return this.listing.execute(new ListNumbersQuery({ assignedTo: accountId, state, limit: 1000 }, requester));
  }
}
