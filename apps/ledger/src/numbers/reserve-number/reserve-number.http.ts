import { Body, Controller, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString, MaxLength } from 'class-validator';
import { NumberCommandGateway } from '../command-runner/number-command.gateway';

export class ReserveNumberDto {
  @IsOptional() @IsString() @MaxLength(128) accountId?: string;
  @IsOptional() @IsISO8601({ strict: true }) expiresAt?: string;
}

@ApiTags('numbers')
@Controller('v1/numbers')
export class ReserveNumberController {
  constructor(private readonly numbers: NumberCommandGateway) {}

  /** ReserveNumber: hold the number for an account, optionally until `expiresAt`. */
  @Post(':number/reserve')
  @HttpCode(200)
  reserve(@Param('number') number: string, @Body() dto: ReserveNumberDto, @Req() req: any, @Res({ passthrough: true }) reply: any) {
    return this.numbers.forRequest(number, { type: 'ReserveNumber', accountId: dto.accountId, expiresAt: dto.expiresAt }, req, reply);
  }
}
