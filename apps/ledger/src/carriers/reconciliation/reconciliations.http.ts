import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Requester } from '@ledger/domain/types';
import { RequestContext } from '../../core/request-context';
import { Caller } from '../../core/entry-decorators';
import { sendPosition } from '../../core/position';
import { Context } from '../../core/request-context.decorator';
import { GetReconciliationQuery, ListReconciliationsQuery } from './read-reconciliations';
import { ReconcileCarriersCommand, ReconcileCarriersDto } from './reconcile-carriers';

/** Carrier reconciliation (docs/carriers.md): what each carrier lists on the account against the ledger. */
@ApiTags('carriers')
@ApiBearerAuth()
@Controller('v1/carrier-reconciliations')
export class ReconciliationsController {
  constructor(private readonly commands: CommandBus, private readonly queries: QueryBus) {}

  @Post()
  @HttpCode(201)
  async run(@Body() dto: ReconcileCarriersDto, @Context() ctx: RequestContext, @Res({ passthrough: true }) reply: FastifyReply) {
    const { answer, position } = await this.commands.execute(new ReconcileCarriersCommand(dto, ctx));
    if (dto.background) reply.code(202);
    sendPosition(reply, position);
    return { data: answer };
  }

  @Get()
  async list(@Caller() requester: Requester) {
    return { data: await this.queries.execute(new ListReconciliationsQuery(requester)) };
  }

  @Get(':id')
  get(@Param('id') id: string, @Caller() requester: Requester) {
    return this.queries.execute(new GetReconciliationQuery(id, requester));
  }
}
