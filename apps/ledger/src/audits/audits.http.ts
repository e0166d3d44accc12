import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Requester } from '@ledger/domain/types';
import { RequestContext } from '../core/request-context';
import { Caller } from '../core/entry-decorators';
import { sendPosition } from '../core/position';
import { Context } from '../core/request-context.decorator';
import { GetAuditDto, GetAuditQuery } from './get-audit/get-audit';
import { StartAuditCommand, StartAuditDto } from './start-audit/start-audit';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('v1/audits')
export class AuditsController {
  constructor(private readonly commands: CommandBus, private readonly queries: QueryBus) {}

  /** SPEC 7: 201 with the report when the audit finished; 202 while it runs in the background. */
  @Post()
  async start(@Body() dto: StartAuditDto, @Context() ctx: RequestContext, @Res({ passthrough: true }) reply: FastifyReply) {
    const { answer, position } = await this.commands.execute(new StartAuditCommand(dto, ctx));
    sendPosition(reply, position);
    if (!answer.finished) answerAccepted(reply);
    return answer.view;
  }

  @Get(':id')
  get(@Param('id') id: string, @Query() q: GetAuditDto, @Caller() requester: Requester) {
    return this.queries.execute(new GetAuditQuery(id, q, requester));
  }
}

/**
 * 202 for an audit still running. Nest sets the route's fixed status on the
 * reply after the handler returns, so this reply keeps the status set here.
 */
function answerAccepted(reply: FastifyReply): void {
  reply.status(202);
  reply.status = () => reply;
}
