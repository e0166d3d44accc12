import { Inject } from '@nestjs/common';
import { SQL } from '../../core/tokens';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IQueryHandler, Query as BusQuery, QueryBus, QueryHandler } from '@nestjs/cqrs';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { CARRIER_MODULES, NUMBER_STATES, Requester, SERVICE_TYPES } from '@ledger/domain/types';
import { Projector } from '@ledger/projections/projector';
import { recordFromRow, InventoryRow } from '@ledger/projections/inventory/inventory-row';
import { InventoryQueries } from '@ledger/projections/inventory/queries';
import { SqlClient } from '@ledger/sql/sql-client';
import { AccountTree } from '../../accounts/account-tree';
import { NumberManagerConfigStore } from '../../config/number-manager-config.store';
import { Caller } from '../../core/entry-decorators';
import { awaitMinPosition, MIN_POSITION_DOC } from '../../core/position';
import { presentNumber } from '../number-view';
import { isAdmin } from '../../accounts/account-access';
import { decodeCursor, encodeCursor } from './list-cursor';

export class ListNumbersDto {
  @ApiPropertyOptional({ type: String, pattern: '^\\+?\\d{1,15}$', example: '+1415', description: 'Numbers starting with these digits (a missing + is added).' })
  @IsOptional() @Matches(/^\+?\d{1,15}$/, { message: 'prefix must be digits, optionally after +' }) prefix?: string;
  @ApiPropertyOptional({ enum: [...NUMBER_STATES], description: 'Only this state (default: every state but deleted).' })
  @IsOptional() @IsIn(NUMBER_STATES) state?: string;
  @ApiPropertyOptional({ enum: [...CARRIER_MODULES] })
  @IsOptional() @IsIn(CARRIER_MODULES) carrierModule?: string;
  @ApiPropertyOptional({ type: String, maxLength: 32, example: 'tollfree_us' })
  @IsOptional() @IsString() @MaxLength(32) classification?: string;
  @ApiPropertyOptional({ type: String, maxLength: 128, example: 'acme', description: 'Only numbers assigned to this account.' })
  @IsOptional() @IsString() @MaxLength(128) assignedTo?: string;
  @ApiPropertyOptional({ enum: [...SERVICE_TYPES], description: 'Only numbers used by a service of this type.' })
  @IsOptional() @IsIn(SERVICE_TYPES) usedBy?: string;
  @ApiPropertyOptional({ type: Number, minimum: 1, maximum: 1000, default: 50, description: 'Page size.' })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) limit?: number;
  @ApiPropertyOptional({ type: String, maxLength: 200, description: 'The nextCursor of the previous page.' })
  @IsOptional() @IsString() @MaxLength(200) cursor?: string;
  @ApiPropertyOptional({ type: String, description: MIN_POSITION_DOC })
  @IsOptional() @IsString() minPosition?: string;
}

export class ListNumbersQuery extends BusQuery<NumberPage> {
  constructor(readonly filters: ListNumbersDto, readonly requester: Requester) {
    super();
  }
}

/** The inventory listing a caller may see, from the `inventory` read model. */
@QueryHandler(ListNumbersQuery)
export class ListNumbersHandler implements IQueryHandler<ListNumbersQuery, NumberPage> {
  constructor(
    @Inject(SQL) private readonly sql: SqlClient,
    private readonly accounts: AccountTree,
    private readonly config: NumberManagerConfigStore,
    private readonly projector: Projector,
  ) {}

  async execute({ filters: f, requester }: ListNumbersQuery): Promise<NumberPage> {
    await awaitMinPosition(this.projector, f.minPosition, ['inventory']);
    const reader = isAdmin(requester, this.accounts) ? null : { accountId: requester.accountId, path: this.accounts.pathOf(requester.accountId) };
    const after = f.cursor ? decodeCursor(f.cursor) : undefined;
    const rows = await new InventoryQueries(this.sql, this.projector.schema).list(reader, { ...f, after }, f.limit ?? 50);
    return page(rows, f.limit ?? 50, await this.context(requester));
  }

  private async context(requester: Requester) {
    return { now: new Date(), requester, accounts: this.accounts, config: await this.config.config() };
  }
}

/** A page of number resources and the cursor of the next one. */
export interface NumberPage {
  data: Record<string, unknown>[];
  nextCursor: string | null;
}

export function page(rows: InventoryRow[], limit: number, ctx: Parameters<typeof presentNumber>[1]): NumberPage {
  const more = rows.length > limit;
  const data = rows.slice(0, limit).map((row) => presentNumber(recordFromRow(row), ctx));
  return { data, nextCursor: more ? encodeCursor(rows[limit - 1].number) : null };
}

@ApiTags('numbers')
@ApiBearerAuth()
@Controller('v1/numbers')
export class ListNumbersController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  list(@Query() q: ListNumbersDto, @Caller() requester: Requester): Promise<NumberPage> {
    return this.queries.execute(new ListNumbersQuery(q, requester));
  }
}
