import { Body, Controller, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { NumberCommandGateway } from '../command-runner/number-command.gateway';

export class AcquireNumberDto {
  @IsOptional() @IsString() @MaxLength(128) accountId?: string;
}

@ApiTags('numbers')
@Controller('v1/numbers')
export class AcquireNumberController {
  constructor(private readonly numbers: NumberCommandGateway) {}

  /** AcquireNumber: to `in_service` for the account. */
  @Post(':number/acquire')
  @HttpCode(200)
  acquire(@Param('number') number: string, @Body() dto: AcquireNumberDto, @Req() req: any, @Res({ passthrough: true }) reply: any) {
    return this.numbers.forRequest(number, { type: 'AcquireNumber', accountId: dto.accountId }, req, reply);
  }

  /** PortIn: create or keep the number in `port_in` for the account. */
  @Post(':number/port-in')
  @HttpCode(200)
  portIn(@Param('number') number: string, @Body() dto: AcquireNumberDto, @Req() req: any, @Res({ passthrough: true }) reply: any) {
    return this.numbers.forRequest(number, { type: 'PortIn', accountId: dto.accountId }, req, reply);
  }
}
