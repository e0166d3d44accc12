import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { RequestContext } from '../../core/request-context';
import { Context } from '../../core/request-context.decorator';
import { NumberCommandGateway } from '../command-runner/number-command.gateway';

export class AcquireNumberDto {
  @ApiPropertyOptional({ type: String, maxLength: 128, example: 'acme', description: 'Account to put the number in service for (default: the caller).' })
  @IsOptional() @IsString() @MaxLength(128) accountId?: string;
}

@ApiTags('numbers')
@ApiBearerAuth()
@Controller('v1/numbers')
export class AcquireNumberController {
  constructor(private readonly numbers: NumberCommandGateway) {}

  /** AcquireNumber: to `in_service` for the account. */
  @Post(':number/acquire')
  @HttpCode(200)
  @ApiOkResponse({ description: 'The number, now in_service for the account.' })
  acquire(@Param('number') number: string, @Body() dto: AcquireNumberDto, @Context() ctx: RequestContext, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.numbers.forRequest(number, { type: 'AcquireNumber', accountId: dto.accountId }, ctx, reply);
  }

  /** PortIn: create or keep the number in `port_in` for the account. */
  @Post(':number/port-in')
  @HttpCode(200)
  @ApiOkResponse({ description: 'The number, in port_in for the account.' })
  portIn(@Param('number') number: string, @Body() dto: AcquireNumberDto, @Context() ctx: RequestContext, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.numbers.forRequest(number, { type: 'PortIn', accountId: dto.accountId }, ctx, reply);
  }
}
