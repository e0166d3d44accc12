import type { Requester } from '@ledger/domain/types';

/**
 * The numbers an account holds (`GET /v1/accounts/:id/numbers`): asked by the accounts
 * entry, answered by the numbers area from the inventory (numbers/list-numbers).
 */
export class AccountNumbersQuery {
  constructor(readonly accountId: string, readonly state: string | undefined, readonly requester: Requester) {}
}
