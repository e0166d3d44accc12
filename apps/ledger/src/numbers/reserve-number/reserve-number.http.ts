import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { IsInstant } from '../../core/instant';
import type { FastifyReply } from 'fastify';
import { RequestContext } from '../../core/request-context';
import { Context } from '../../core/request-context.decorator';
import { NumberCommandGateway } from '../command-runner/number-command.gateway';

export class ReserveNumberDto {
  @ApiPropertyOptional({ type: String, maxLength: 128, example: 'acme', description: 'Account to reserve the number for (default: the caller).' })
  @IsOptional() @IsString() @MaxLength(128) accountId?: string;
  @ApiPropertyOptional({ type: String, format: 'date-time', example: '2030-01-01T00:00:00Z', description: 'When the reservation lapses (ISO 8601, with Z or an offset); none: it does not.' })
  @IsOptional() @IsInstant() expiresAt?: string;
}

@ApiTags('numbers')
@ApiBearerAuth()
@Controller('v1/numbers')
export class ReserveNumberController {
  constructor(private readonly numbers: NumberCommandGateway) {}

  /** ReserveNumber: hold the number for an account, optionally until `expiresAt`. */
  @Post(':number/reserve')
  @HttpCode(200)
  @ApiOkResponse({ description: 'The number, reserved for the account.' })
  reserve(@Param('number') number: string, @Body() dto: ReserveNumberDto, @Context() ctx: RequestContext, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.numbers.forRequest(number, { type: 'ReserveNumber', accountId: dto.accountId, expiresAt: dto.expiresAt }, ctx, reply);
  }
}
