import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { MIN_POSITION_DOC } from '../../core/position';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional, IsString } from 'class-validator';
import { IsInstant } from '../../core/instant';
import { stringify } from 'csv-stringify/sync';
import { Requester } from '@ledger/domain/types';
import { AccountTree } from '../../accounts/account-tree';
import { neutralisedCell } from '../../core/csv-line';
import { Quantities, sumQuantities } from '../billing-quantities';
import { BillingQuery, BillingQueryHandler, instant } from '../billing-query';

/** `"true"` / `"false"` from a query string; anything else is left for the validator to refuse. */
export const toBoolean = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

export class QuantitiesDto {
  @ApiPropertyOptional({ type: String, format: 'date-time', example: '2024-01-01T00:00:00Z', description: 'Quantities at this instant (default: now).' })
  @IsOptional() @IsInstant() asOf?: string;
  @ApiPropertyOptional({ type: Boolean, default: false, description: 'Include the accounts below.' })
  @IsOptional() @Transform(toBoolean) @IsBoolean() cascade?: boolean;
  @ApiPropertyOptional({ type: String, description: MIN_POSITION_DOC })
  @IsOptional() @IsString() minPosition?: string;
}

export type QuantitiesAnswer = { accountId: string; asOf: string; cascade: boolean } & Quantities;

/** The quantities of one account (or its subtree, cascade) at one instant. */
export class GetQuantitiesQuery extends Query<QuantitiesAnswer> {
  constructor(readonly accountId: string, readonly input: QuantitiesDto, readonly requester: Requester) {
    super();
  }
}

/** The quantities as CSV: one row per account of the subtree and quantity (cascaded when asked). */
export class QuantitiesCsvQuery extends Query<string> {
  constructor(readonly accountId: string, readonly input: QuantitiesDto, readonly requester: Requester) {
    super();
  }
}

@QueryHandler(GetQuantitiesQuery)
export class GetQuantitiesHandler implements IQueryHandler<GetQuantitiesQuery, QuantitiesAnswer> {
  constructor(private readonly billing: BillingQueryHandler) {}

  async execute({ accountId, input: q, requester }: GetQuantitiesQuery): Promise<QuantitiesAnswer> {
    const when = instant(q.asOf);
    const quantities = await this.billing.execute(new BillingQuery(accountId, when, q.cascade ?? false, requester, q.minPosition));
    return { accountId, asOf: q.asOf ? new Date(q.asOf).toISOString() : new Date().toISOString(), cascade: q.cascade ?? false, ...quantities };
  }
}

@QueryHandler(QuantitiesCsvQuery)
export class QuantitiesCsvHandler implements IQueryHandler<QuantitiesCsvQuery, string> {
  constructor(private readonly billing: BillingQueryHandler, private readonly tree: AccountTree) {}

  async execute({ accountId: id, input: q, requester }: QuantitiesCsvQuery): Promise<string> {
    const asOf = q.asOf ? new Date(q.asOf).toISOString() : new Date().toISOString();
    const own = await this.billing.byAccount(id, instant(q.asOf), true, requester, q.minPosition);
    const accounts = [...own.keys()].sort();
    const rows: unknown[][] = [];
    for (const accountId of accounts) {
      const below = q.cascade ? accounts.filter((a) => this.tree.pathOf(a).includes(accountId)) : [accountId];
      const listed = sumQuantities(below.map((a) => own.get(a)!));
      for (const [category, items] of Object.entries(listed)) {
        for (const [item, n] of Object.entries(items as Record<string, number>).sort()) rows.push([accountId, asOf, category, item, n]);
      }
    }
    return stringify(rows, { header: true, columns: ['account_id', 'as_of', 'category', 'item', 'quantity'], cast: { string: neutralisedCell } });
  }
}
