import { Body, Controller, Delete, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsBoolean, IsOptional } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { RequestContext } from '../../core/request-context';
import { Context } from '../../core/request-context.decorator';
import { NumberCommandGateway } from '../command-runner/number-command.gateway';

export class ReleaseNumberDto {}

export class AgeNumberDto {
  @ApiPropertyOptional({ type: Boolean, example: false, description: 'Age the number now, even before the aging period has passed.' })
  @IsOptional() @IsBoolean() force?: boolean;
}

@ApiTags('numbers')
@ApiBearerAuth()
@Controller('v1/numbers')
export class ReleaseNumberController {
  constructor(private readonly numbers: NumberCommandGateway) {}

  /** ReleaseNumber: the release pipeline of SPEC 3. */
  @Post(':number/release')
  @HttpCode(200)
  @ApiOkResponse({ description: 'The number after the release pipeline (released, aging, available or deleted).' })
  release(@Param('number') number: string, @Body() _dto: ReleaseNumberDto, @Context() ctx: RequestContext, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.numbers.forRequest(number, { type: 'ReleaseNumber', reason: 'requested' }, ctx, reply);
  }

  /** AgeNumber: `aging` to `available` once the aging period has passed (system only). */
  @Post(':number/age')
  @HttpCode(200)
  @ApiOkResponse({ description: 'The number, available again.' })
  age(@Param('number') number: string, @Body() dto: AgeNumberDto, @Context() ctx: RequestContext, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.numbers.forRequest(number, { type: 'AgeNumber', force: dto.force === true }, ctx, reply);
  }

  /** DeleteNumber (admins): state `deleted`, history kept. */
  @Delete(':number')
  @HttpCode(200)
  @ApiOkResponse({ description: 'The number, now in state deleted.' })
  remove(@Param('number') number: string, @Context() ctx: RequestContext, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.numbers.forRequest(number, { type: 'DeleteNumber' }, ctx, reply);
  }
}
