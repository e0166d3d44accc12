import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { IQueryHandler, Query as BusQuery, QueryBus, QueryHandler } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { Requester, SERVICE_TYPES } from '@ledger/domain/types';
import { Projector } from '@ledger/projections/projector';
import { UsageQueries } from '@ledger/projections/usage/queries';
import { SqlClient } from '@ledger/sql/sql-client';
import { AccountTree } from '../../accounts/account-tree';
import { awaitMinPosition, MIN_POSITION_DOC } from '../../core/position';
import { decodeCursor, encodeCursor } from '../../numbers/list-numbers/list-cursor';
import { SQL } from '../../core/tokens';
import { requireAccountAccess } from '../../accounts/account-access';
import { presentService, ServiceResource } from '../service-resource';
import { Caller } from '../../core/entry-decorators';

export class ListServicesDto {
  @ApiPropertyOptional({ enum: [...SERVICE_TYPES], description: 'Only services of this type.' })
  @IsOptional() @IsIn(SERVICE_TYPES) type?: string;
  @ApiPropertyOptional({ type: Number, minimum: 1, maximum: 1000, default: 50, description: 'Page size.' })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) limit?: number;
  @ApiPropertyOptional({ type: String, maxLength: 400, description: 'The nextCursor of the previous page.' })
  @IsOptional() @IsString() @MaxLength(400) cursor?: string;
  @ApiPropertyOptional({ type: String, description: MIN_POSITION_DOC })
  @IsOptional() @IsString() minPosition?: string;
}

export interface ServicePage { data: ServiceResource[]; nextCursor: string | null }

export class ListServicesQuery extends BusQuery<ServicePage> {
  constructor(readonly accountId: string, readonly filters: ListServicesDto, readonly requester: Requester) {
    super();
  }
}

/** The services registered in one account, from the `services` read model, ordered by type then id. */
@QueryHandler(ListServicesQuery)
export class ListServicesHandler implements IQueryHandler<ListServicesQuery, ServicePage> {
  constructor(@Inject(SQL) private readonly sql: SqlClient, private readonly tree: AccountTree, private readonly projector: Projector) {}

  async execute({ accountId, filters: f, requester }: ListServicesQuery): Promise<ServicePage> {
    requireAccountAccess(this.tree, requester, accountId);
    await awaitMinPosition(this.projector, f.minPosition, ['usage']);
    const limit = f.limit ?? 50;
    const after = f.cursor ? decodeCursor(f.cursor) : undefined;
    const found = await new UsageQueries(this.sql, this.projector.schema).services(accountId, { type: f.type, after }, limit);
    const rows = found.slice(0, limit);
    const last = rows[rows.length - 1];
    return {
      data: rows.map((row) => presentService({
        accountId: row.account_id, type: row.type, serviceId: row.service_id, name: row.name, numbers: row.numbers,
        updatedAt: new Date(row.updated_at).toISOString(),
      })),
      nextCursor: found.length > limit ? encodeCursor(`${last.type} ${last.service_id}`) : null,
    };
  }
}

@ApiTags('usage')
@ApiBearerAuth()
@Controller('v1/accounts/:id/services')
export class ListServicesController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  list(@Param('id') id: string, @Query() q: ListServicesDto, @Caller() requester: Requester) {
    return this.queries.execute(new ListServicesQuery(id, q, requester));
  }
}
