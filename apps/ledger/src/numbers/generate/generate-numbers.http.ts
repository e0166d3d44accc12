import { Body, Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsIn, IsInt, IsString, Max, MaxLength, Min } from 'class-validator';
import { LedgerError } from '@ledger/domain/errors';
import { normalizeNumber } from '@ledger/domain';
import { sendPosition } from '../../core/position';
import { Projector } from '@ledger/projections/projector';
import { NumberCommandGateway } from '../command-runner/number-command.gateway';
import { consecutiveNumbers } from './consecutive-numbers';

export class GenerateNumbersDto {
  @ApiProperty({ enum: ['knm_managed', 'knm_inum'], example: 'knm_managed' })
  @IsIn(['knm_managed', 'knm_inum']) carrierModule!: 'knm_managed' | 'knm_inum';
  @ApiProperty({ type: String, maxLength: 128, example: 'acme', description: 'Account whose pool receives the numbers.' })
  @IsString() @MaxLength(128) accountId!: string;
  @ApiProperty({ type: String, maxLength: 32, example: '+14155550100', description: 'First number of the range.' })
  @IsString() @MaxLength(32) start!: string;
  @ApiProperty({ type: Number, minimum: 1, maximum: 10000, example: 100, description: 'How many consecutive numbers.' })
  @IsInt() @Min(1) @Max(10000) count!: number;
}

@ApiTags('numbers')
@ApiBearerAuth()
@Controller('v1/numbers')
export class GenerateNumbersController {
  constructor(private readonly numbers: NumberCommandGateway, private readonly projector: Projector) {}

  /** System only: `count` consecutive numbers from `start`, for one account's pool. */
  @Post('generate')
  @HttpCode(201)
  @ApiCreatedResponse({ description: '`{carrierModule, accountId, count, numbers}`: the numbers added.' })
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
