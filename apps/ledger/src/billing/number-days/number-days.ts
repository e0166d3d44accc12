import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { MIN_POSITION_DOC } from '../../core/position';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional, IsString } from 'class-validator';
import { IsInstant } from '../../core/instant';
import { LedgerError } from '@ledger/domain/errors';
import { Requester } from '@ledger/domain/types';
import { Quantities } from '../billing-quantities';
import { BillingQuery, BillingQueryHandler } from '../billing-query';
import { toBoolean } from '../quantities/quantities';

export class NumberDaysDto {
  @ApiProperty({ type: String, format: 'date-time', example: '2024-01-01T00:00:00Z', description: 'Start of the period (inclusive).' })
  @IsInstant() from!: string;
  @ApiProperty({ type: String, format: 'date-time', example: '2024-02-01T00:00:00Z', description: 'End of the period, after from.' })
  @IsInstant() to!: string;
  @ApiPropertyOptional({ type: Boolean, default: false, description: 'Include the accounts below.' })
  @IsOptional() @Transform(toBoolean) @IsBoolean() cascade?: boolean;
  @ApiPropertyOptional({ type: String, description: MIN_POSITION_DOC })
  @IsOptional() @IsString() minPosition?: string;
}

export type NumberDaysAnswer = { accountId: string; from: string; to: string; cascade: boolean; unit: 'number-days' } & Quantities;

/** Number-days of one account (or its subtree, cascade) over a period. */
export class GetNumberDaysQuery extends Query<NumberDaysAnswer> {
  constructor(readonly accountId: string, readonly input: NumberDaysDto, readonly requester: Requester) {
    super();
  }
}

@QueryHandler(GetNumberDaysQuery)
export class GetNumberDaysHandler implements IQueryHandler<GetNumberDaysQuery, NumberDaysAnswer> {
  constructor(private readonly billing: BillingQueryHandler) {}

  async execute({ accountId, input: q, requester }: GetNumberDaysQuery): Promise<NumberDaysAnswer> {
    const from = new Date(q.from);
    const to = new Date(q.to);
    if (!(from.getTime() < to.getTime())) throw new LedgerError('validation_failed', 'from must be before to', { field: 'from' });
    const days = await this.billing.execute(new BillingQuery(accountId, { kind: 'period', from, to }, q.cascade ?? false, requester, q.minPosition));
    return { accountId, from: from.toISOString(), to: to.toISOString(), cascade: q.cascade ?? false, unit: 'number-days', ...days };
  }
}
