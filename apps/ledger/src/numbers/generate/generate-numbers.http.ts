import { Body, Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { IsIn, IsInt, IsString, Max, MaxLength, Min } from 'class-validator';
import { LedgerError } from '../../../../../libs/domain/src/errors';
import { normalizeNumber } from '../../../../../libs/domain/src';
import { sendPosition } from '../../http/position';
import { Projector } from '../../../../../libs/projections/src/projector';
import { NumberCommandGateway } from '../command-runner/number-command.gateway';
import { consecutiveNumbers } from './consecutive-numbers';

export class GenerateNumbersDto {
  @IsIn(['knm_managed', 'knm_inum']) carrierModule!: 'knm_managed' | 'knm_inum';
  @IsString() @MaxLength(128) accountId!: string;
  @IsString() @MaxLength(32) start!: string;
  @IsInt() @Min(1) @Max(10000) count!: number;
}

@ApiTags('numbers')
@Controller('v1/numbers')
export class GenerateNumbersController {
  constructor(private readonly numbers: NumberCommandGateway, private readonly projector: Projector) {}

  /** System only: `count` consecutive numbers from `start`, for one account's pool. */
  @Post('generate')
  @HttpCode(201)
  async generate(@Body() dto: GenerateNumbersDto, @Req() req: any, @Res({ passthrough: true }) reply: any) {
    if (!req.requester.isSystem) throw new LedgerError('unauthorized', 'only the system may generate numbers');
    const meta = this.numbers.metaFrom(req);
    const created: string[] = [];
    let position = null;
    for (const n of consecutiveNumbers(normalizeNumber(dto.start), dto.count)) {
      const outcome = await this.numbers.execute(
        n,
        { type: 'AddNumber', carrierModule: dto.carrierModule, state: 'available', accountId: dto.accountId },
        { ...meta, idempotencyKey: meta.idempotencyKey && `${meta.idempotencyKey}:${n}` },
      );
      created.push(outcome.record.number);
      position = outcome.position ?? position;
    }
    sendPosition(reply, position, this.projector);
    return { carrierModule: dto.carrierModule, accountId: dto.accountId, count: created.length, numbers: created };
  }
}
