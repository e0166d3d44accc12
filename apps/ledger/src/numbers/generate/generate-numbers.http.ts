import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { RequestContext } from '../../core/request-context';
import { sendPosition } from '../../core/position';
import { Context } from '../../core/request-context.decorator';
import { GenerateNumbersCommand, GenerateNumbersDto } from './generate-numbers';

@ApiTags('numbers')
@ApiBearerAuth()
@Controller('v1/numbers')
export class GenerateNumbersController {
  constructor(private readonly commands: CommandBus) {}

  /** System only: `count` consecutive numbers from `start`, for one account's pool. */
  @Post('generate')
  @HttpCode(201)
  @ApiCreatedResponse({ description: '`{carrierModule, accountId, count, numbers}`: the numbers added.' })
  async generate(@Body() dto: GenerateNumbersDto, @Context() ctx: RequestContext, @Res({ passthrough: true }) reply: FastifyReply) {
    const { answer, position } = await this.commands.execute(new GenerateNumbersCommand(dto, ctx));
    sendPosition(reply, position);
    return answer;
  }
}
