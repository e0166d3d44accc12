import { Query } from '@nestjs/cqrs';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { NUMBER_STATES, Requester } from '@ledger/domain/types';

/** A page of number resources (the numbers area's NumberPage). */
export interface AccountNumberPage {
  data: Record<string, unknown>[];
  nextCursor: string | null;
}

export class AccountNumbersDto {
  @ApiPropertyOptional({ enum: [...NUMBER_STATES], description: 'Only numbers in this state.' })
  @IsOptional() @IsIn(NUMBER_STATES) state?: string;
}

/**
 * The numbers assigned to one account (at most 1000). Answered by the numbers area
 * (numbers/list-numbers/account-numbers.ts), which owns the inventory read model.
 */
export class ListAccountNumbersQuery extends Query<AccountNumberPage> {
  constructor(readonly accountId: string, readonly filters: AccountNumbersDto, readonly requester: Requester) {
    super();
  }
}
