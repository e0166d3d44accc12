import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsInt, IsString, Max, MaxLength, Min } from 'class-validator';
import { normalizeNumber } from '@ledger/domain';
import { LedgerError } from '@ledger/domain/errors';
import { LogPosition } from '@ledger/event-store/port';
import { Projector } from '@ledger/projections/projector';
import { Positioned } from '../../core/positioned';
import { RequestContext, itemIdempotencyKey } from '../../core/request-context';
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

export interface GeneratedNumbers { carrierModule: string; accountId: string; count: number; numbers: string[] }

/** System only: `count` consecutive numbers from `start`, for one account's pool. */
export class GenerateNumbersCommand extends Command<Positioned<GeneratedNumbers>> {
  constructor(readonly input: GenerateNumbersDto, readonly ctx: RequestContext) {
    super();
  }
}

@CommandHandler(GenerateNumbersCommand)
export class GenerateNumbersHandler implements ICommandHandler<GenerateNumbersCommand, Positioned<GeneratedNumbers>> {
  constructor(private readonly numbers: NumberCommandGateway, private readonly projector: Projector) {}

  async execute({ input: dto, ctx }: GenerateNumbersCommand): Promise<Positioned<GeneratedNumbers>> {
    if (!ctx.requester.isSystem) throw new LedgerError('unauthorized', 'only the system may generate numbers');
    const created: string[] = [];
    let position: LogPosition | null = null;
    for (const n of consecutiveNumbers(normalizeNumber(dto.start), dto.count)) {
      const outcome = await this.numbers.execute(
        n,
        { type: 'AddNumber', carrierModule: dto.carrierModule, state: 'available', accountId: dto.accountId },
        { ...ctx, idempotencyKey: itemIdempotencyKey(ctx.idempotencyKey, n) },
      );
      created.push(outcome.record.number);
      position = outcome.position ?? position;
    }
    return {
      answer: { carrierModule: dto.carrierModule, accountId: dto.accountId, count: created.length, numbers: created },
      position: position ?? this.projector.checkpoint,
    };
  }
}
