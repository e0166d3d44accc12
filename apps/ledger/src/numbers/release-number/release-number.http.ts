import { Body, Controller, Delete, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsBoolean, IsOptional } from 'class-validator';
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
  release(@Param('number') number: string, @Body() _dto: ReleaseNumberDto, @Req() req: any, @Res({ passthrough: true }) reply: any) {
    return this.numbers.forRequest(number, { type: 'ReleaseNumber', reason: 'requested' }, req, reply);
  }

  /** AgeNumber: `aging` to `available` once the aging period has passed (system only). */
  @Post(':number/age')
  @HttpCode(200)
  @ApiOkResponse({ description: 'The number, available again.' })
  age(@Param('number') number: string, @Body() dto: AgeNumberDto, @Req() req: any, @Res({ passthrough: true }) reply: any) {
    return this.numbers.forRequest(number, { type: 'AgeNumber', force: dto.force === true }, req, reply);
  }

  /** DeleteNumber (admins): state `deleted`, history kept. */
  @Delete(':number')
  @HttpCode(200)
  @ApiOkResponse({ description: 'The number, now in state deleted.' })
  remove(@Param('number') number: string, @Req() req: any, @Res({ passthrough: true }) reply: any) {
    return this.numbers.forRequest(number, { type: 'DeleteNumber' }, req, reply);
  }
}
