import { Controller, Get, Inject, Param, Query, Req, Res } from '@nestjs/common';
import { IQueryHandler, QueryBus, QueryHandler } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsISO8601, IsOptional, IsString } from 'class-validator';
import { stringify } from 'csv-stringify/sync';
import { neutralisedCell } from '../core/csv-line';
import { LedgerError } from '@ledger/domain/errors';
import { Requester } from '@ledger/domain/types';
import { Projector } from '@ledger/projections/projector';
import { AccountQueries } from '@ledger/projections/accounts/queries';
import { SqlClient } from '@ledger/sql/sql-client';
import { AccountTree } from '../accounts/account-tree';
import { NumberManagerConfigStore } from '../config/number-manager-config.store';
import { awaitMinPosition } from '../core/position';
import { requireAccountAccess } from '../accounts/account-access';
import { SQL } from '../core/tokens';
import { Quantities, quantitiesByAccount, sumQuantities } from './billing-quantities';
import type { BillingWhen } from './billing-when';

const toBoolean = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

export class QuantitiesDto {
  @ApiPropertyOptional({ type: String, format: 'date-time', example: '2024-01-01T00:00:00Z', description: 'Quantities at this instant (default: now).' })
  @IsOptional() @IsISO8601({ strict: true }) asOf?: string;
  @ApiPropertyOptional({ type: Boolean, default: false, description: 'Include the accounts below.' })
  @IsOptional() @Transform(toBoolean) @IsBoolean() cascade?: boolean;
  @ApiPropertyOptional({ type: String, description: 'Wait until the read models have reached this log position (from a write\'s position header).' })
  @IsOptional() @IsString() minPosition?: string;
}

export class NumberDaysDto {
  @ApiProperty({ type: String, format: 'date-time', example: '2024-01-01T00:00:00Z', description: 'Start of the period (inclusive).' })
  @IsISO8601({ strict: true }) from!: string;
  @ApiProperty({ type: String, format: 'date-time', example: '2024-02-01T00:00:00Z', description: 'End of the period, after from.' })
  @IsISO8601({ strict: true }) to!: string;
  @ApiPropertyOptional({ type: Boolean, default: false, description: 'Include the accounts below.' })
  @IsOptional() @Transform(toBoolean) @IsBoolean() cascade?: boolean;
  @ApiPropertyOptional({ type: String, description: 'Wait until the read models have reached this log position (from a write\'s position header).' })
  @IsOptional() @IsString() minPosition?: string;
}

/** Quantities of one account, or of its subtree (cascade), at one instant or over a period. */
export class BillingQuery {
  constructor(readonly accountId: string, readonly when: BillingWhen, readonly cascade: boolean, readonly requester: Requester, readonly minPosition?: string) {}
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

function instant(asOf?: string): BillingWhen {
  return asOf ? { kind: 'asOf', at: new Date(asOf) } : { kind: 'now' };
}

@ApiTags('billing')
@ApiBearerAuth()
@Controller('v1/accounts/:id')
export class BillingController {
  constructor(private readonly queries: QueryBus, private readonly handler: BillingQueryHandler, private readonly tree: AccountTree) {}

  @Get('quantities')
  async quantities(@Param('id') id: string, @Query() q: QuantitiesDto, @Req() req: any) {
    const when = instant(q.asOf);
    const quantities = await this.queries.execute(new BillingQuery(id, when, q.cascade ?? false, req.requester, q.minPosition));
    return { accountId: id, asOf: q.asOf ? new Date(q.asOf).toISOString() : new Date().toISOString(), cascade: q.cascade ?? false, ...quantities };
  }

  @Get('number-days')
  async numberDays(@Param('id') id: string, @Query() q: NumberDaysDto, @Req() req: any) {
    const from = new Date(q.from);
    const to = new Date(q.to);
    if (!(from.getTime() < to.getTime())) throw new LedgerError('validation_failed', 'from must be before to', { field: 'from' });
    const days = await this.queries.execute(new BillingQuery(id, { kind: 'period', from, to }, q.cascade ?? false, req.requester, q.minPosition));
    return { accountId: id, from: from.toISOString(), to: to.toISOString(), cascade: q.cascade ?? false, unit: 'number-days', ...days };
  }

  /** One row per account of the subtree and quantity: account_id, as_of, category, item, quantity (cascaded when asked). */
  @Get('quantities.csv')
  async csv(@Param('id') id: string, @Query() q: QuantitiesDto, @Req() req: any, @Res({ passthrough: true }) reply: any) {
    const asOf = q.asOf ? new Date(q.asOf).toISOString() : new Date().toISOString();
    const own = await this.handler.byAccount(id, instant(q.asOf), true, req.requester, q.minPosition);
    const accounts = [...own.keys()].sort();
    const rows: unknown[][] = [];
    for (const accountId of accounts) {
      const below = q.cascade ? accounts.filter((a) => this.tree.pathOf(a).includes(accountId)) : [accountId];
      const listed = sumQuantities(below.map((a) => own.get(a)!));
      for (const [category, items] of Object.entries(listed)) {
        for (const [item, n] of Object.entries(items as Record<string, number>).sort()) rows.push([accountId, asOf, category, item, n]);
      }
    }
    reply.header('content-type', 'text/csv; charset=utf-8');
    reply.header('content-disposition', `attachment; filename="quantities-${id}.csv"`);
    return stringify(rows, { header: true, columns: ['account_id', 'as_of', 'category', 'item', 'quantity'], cast: { string: neutralisedCell } });
  }
}
