import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Requester } from '@ledger/domain/types';
import { Caller } from '../core/entry-decorators';
import { GetNumberDaysQuery, NumberDaysDto } from './number-days/number-days';
import { GetQuantitiesQuery, QuantitiesCsvQuery, QuantitiesDto } from './quantities/quantities';

@ApiTags('billing')
@ApiBearerAuth()
@Controller('v1/accounts/:id')
export class BillingController {
  constructor(private readonly queries: QueryBus) {}

  @Get('quantities')
  quantities(@Param('id') id: string, @Query() q: QuantitiesDto, @Caller() requester: Requester) {
    return this.queries.execute(new GetQuantitiesQuery(id, q, requester));
  }

  @Get('number-days')
  numberDays(@Param('id') id: string, @Query() q: NumberDaysDto, @Caller() requester: Requester) {
    return this.queries.execute(new GetNumberDaysQuery(id, q, requester));
  }

  /** One row per account of the subtree and quantity: account_id, as_of, category, item, quantity (cascaded when asked). */
  @Get('quantities.csv')
  async csv(@Param('id') id: string, @Query() q: QuantitiesDto, @Caller() requester: Requester, @Res({ passthrough: true }) reply: FastifyReply) {
    const csv = await this.queries.execute(new QuantitiesCsvQuery(id, q, requester));
    reply.header('content-type', 'text/csv; charset=utf-8');
    reply.header('content-disposition', `attachment; filename="quantities-${id}.csv"`);
    return csv;
  }
}
