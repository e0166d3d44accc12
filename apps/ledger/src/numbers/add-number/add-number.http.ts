import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { parseCarrierModule } from '@ledger/domain';
import { CARRIER_MODULES, NUMBER_STATES, NumberState } from '@ledger/domain/types';
import type { FastifyReply } from 'fastify';
import { RequestContext } from '../../core/request-context';
import { Context } from '../../core/request-context.decorator';
import { NumberCommandGateway } from '../command-runner/number-command.gateway';

export class AddNumberDto {
  @ApiProperty({ type: String, maxLength: 32, example: '+14155550100', description: 'The number, normalised to E.164.' })
  @IsString() @MaxLength(32) number!: string;
  @ApiPropertyOptional({
    type: String, example: 'knm_local',
    description: `Carrier module (the knm_ prefix may be left out), e.g. ${CARRIER_MODULES.join(', ')}.`,
  })
  @IsOptional() @IsString() carrierModule?: string;
  @ApiPropertyOptional({ enum: [...NUMBER_STATES], example: 'available', description: 'Initial state.' })
  @IsOptional() @IsIn(NUMBER_STATES) state?: NumberState;
  @ApiPropertyOptional({ type: String, maxLength: 128, example: 'acme', description: 'Account the number is added for (default: the caller).' })
  @IsOptional() @IsString() @MaxLength(128) accountId?: string;
}

export class MdnNumberDto {
  @ApiProperty({ type: String, maxLength: 32, example: '+14155550100', description: 'The mobile number, normalised to E.164.' })
  @IsString() @MaxLength(32) number!: string;
  @ApiProperty({ type: String, maxLength: 128, example: 'acme', description: 'Account the number is in service for.' })
  @IsString() @MaxLength(128) accountId!: string;
}

@ApiTags('numbers')
@ApiBearerAuth()
@Controller('v1')
export class AddNumberController {
  constructor(private readonly numbers: NumberCommandGateway) {}

  /** AddNumber (SPEC 3). */
  @Post('numbers')
  @HttpCode(201)
  @ApiCreatedResponse({ description: 'The number was added; the body is the number as the caller sees it.' })
  add(@Body() dto: AddNumberDto, @Context() ctx: RequestContext, @Res({ passthrough: true }) reply: FastifyReply) {
    const carrierModule = dto.carrierModule === undefined ? undefined : parseCarrierModule(dto.carrierModule);
    return this.numbers.forRequest(dto.number, { type: 'AddNumber', carrierModule, state: dto.state, accountId: dto.accountId }, ctx, reply);
  }

  /** The mobile-services entry: knm_mdn numbers, always in_service (system only, enforced by the decider). */
  @Post('mdn-numbers')
  @HttpCode(201)
  @ApiCreatedResponse({ description: 'The knm_mdn number was added in service; the body is the number.' })
  addMdn(@Body() dto: MdnNumberDto, @Context() ctx: RequestContext, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.numbers.forRequest(
      dto.number,
      { type: 'AddNumber', carrierModule: 'knm_mdn', accountId: dto.accountId, viaMdnEntry: true },
      ctx,
      reply,
    );
  }
}
