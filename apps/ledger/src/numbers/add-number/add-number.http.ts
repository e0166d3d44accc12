import { Body, Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { parseCarrierModule } from '../../../../../libs/domain/src';
import { NUMBER_STATES, NumberState } from '../../../../../libs/domain/src/types';
import { NumberCommandGateway } from '../command-runner/number-command.gateway';

export class AddNumberDto {
  @IsString() @MaxLength(32) number!: string;
  @IsOptional() @IsString() carrierModule?: string;
  @IsOptional() @IsIn(NUMBER_STATES) state?: NumberState;
  @IsOptional() @IsString() @MaxLength(128) accountId?: string;
}

export class MdnNumberDto {
  @IsString() @MaxLength(32) number!: string;
  @IsString() @MaxLength(128) accountId!: string;
}

@ApiTags('numbers')
@Controller('v1')
export class AddNumberController {
  constructor(private readonly numbers: NumberCommandGateway) {}

  /** AddNumber (SPEC 3). */
  @Post('numbers')
  @HttpCode(201)
  add(@Body() dto: AddNumberDto, @Req() req: any, @Res({ passthrough: true }) reply: any) {
    const carrierModule = dto.carrierModule === undefined ? undefined : parseCarrierModule(dto.carrierModule);
    return this.numbers.forRequest(dto.number, { type: 'AddNumber', carrierModule, state: dto.state, accountId: dto.accountId }, req, reply);
  }

  /** The mobile-services entry: knm_mdn numbers, always in_service (system only, enforced by the decider). */
  @Post('mdn-numbers')
  @HttpCode(201)
  addMdn(@Body() dto: MdnNumberDto, @Req() req: any, @Res({ passthrough: true }) reply: any) {
    return this.numbers.forRequest(
      dto.number,
      { type: 'AddNumber', carrierModule: 'knm_mdn', accountId: dto.accountId, viaMdnEntry: true },
      req,
      reply,
    );
  }
}
