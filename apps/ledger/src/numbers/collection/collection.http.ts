import { Body, Controller, HttpCode, HttpException, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiParam, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsOptional, IsString, MaxLength } from 'class-validator';
import { LedgerError } from '@ledger/domain/errors';
import { NumberCommand } from '@ledger/domain/types';
import { comparePositions, LogPosition } from '@ledger/event-store/port';
import { Projector } from '@ledger/projections/projector';
import { problemFromLedgerError } from '../../core/problem';
import { sendPosition } from '../../core/position';
import { NumberCommandGateway } from '../command-runner/number-command.gateway';

export class CollectionDto {
  @ApiProperty({ type: [String], minItems: 1, maxItems: 1000, example: ['+14155550100', '+14155550101'], description: 'Numbers to act on (each at most 32 characters).' })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(1000) @IsString({ each: true }) @MaxLength(32, { each: true })
  numbers!: string[];

  @ApiPropertyOptional({ type: String, maxLength: 128, example: 'acme', description: 'Account for reserve and acquire (default: the caller).' })
  @IsOptional() @IsString() @MaxLength(128) accountId?: string;
}

const ACTIONS: Record<string, (accountId?: string) => NumberCommand> = {
  reserve: (accountId) => ({ type: 'ReserveNumber', accountId }),
  acquire: (accountId) => ({ type: 'AcquireNumber', accountId }),
  release: () => ({ type: 'ReleaseNumber', reason: 'requested' }),
  delete: () => ({ type: 'DeleteNumber' }),
};

@ApiTags('numbers')
@ApiBearerAuth()
@Controller('v1/numbers/collection')
export class CollectionController {
  constructor(private readonly numbers: NumberCommandGateway, private readonly projector: Projector) {}

  /** One command per number, each independent: `{success: {n: number}, error: {n: problem}}`, 200 even when some fail. */
  @Post(':action')
  @HttpCode(200)
  @ApiParam({ name: 'action', enum: ['reserve', 'acquire', 'release', 'delete'] })
  @ApiOkResponse({ description: '`{success: {number: view}, error: {number: problem}}`; 200 even when some numbers fail.' })
  async run(@Param('action') action: string, @Body() dto: CollectionDto, @Req() req: any, @Res({ passthrough: true }) reply: any) {
    const toCommand = ACTIONS[action];
    if (!toCommand) throw new HttpException({ code: 'validation_failed', detail: `unknown action ${action}; one of ${Object.keys(ACTIONS).join(', ')}` }, 400);
    const meta = this.numbers.metaFrom(req);
    const success: Record<string, unknown> = {};
    const error: Record<string, unknown> = {};
    let last: LogPosition | null = null;
    for (const raw of dto.numbers) {
      try {
        const outcome = await this.numbers.execute(raw, toCommand(dto.accountId), { ...meta, idempotencyKey: meta.idempotencyKey && `${meta.idempotencyKey}:${raw}` });
        if (outcome.position && (!last || comparePositions(outcome.position, last) > 0)) last = outcome.position;
        success[outcome.record.number] = await this.numbers.present(outcome, req.requester);
      } catch (err) {
        if (!(err instanceof LedgerError)) throw err;
        error[raw] = problemFromLedgerError(err);
      }
    }
    sendPosition(reply, last, this.projector);
    return { success, error };
  }
}
