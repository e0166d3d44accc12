import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { RequestContext } from '../../core/request-context';
import { sendPosition } from '../../core/position';
import { Context } from '../../core/request-context.decorator';
import { CollectionDto, RunCollectionCommand } from './run-collection';

@ApiTags('numbers')
@ApiBearerAuth()
@Controller('v1/numbers/collection')
export class CollectionController {
  constructor(private readonly commands: CommandBus) {}

  /** One command per number, each independent: `{success: {n: number}, error: {n: problem}}`, 200 even when some fail. */
  @Post(':action')
  @HttpCode(200)
  @ApiParam({ name: 'action', enum: ['reserve', 'acquire', 'release', 'delete'] })
  @ApiOkResponse({ description: '`{success: {number: view}, error: {number: problem}}`; 200 even when some numbers fail.' })
  async run(@Param('action') action: string, @Body() dto: CollectionDto, @Context() ctx: RequestContext, @Res({ passthrough: true }) reply: FastifyReply) {
    const { answer, position } = await this.commands.execute(new RunCollectionCommand(action, dto, ctx));
    sendPosition(reply, position);
    return answer;
  }
}
