import { HttpException } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsOptional, IsString, MaxLength } from 'class-validator';
import { LedgerError } from '@ledger/domain/errors';
import { NumberCommand } from '@ledger/domain/types';
import { comparePositions, LogPosition } from '@ledger/event-store/port';
import { Projector } from '@ledger/projections/projector';
import { Positioned } from '../../core/positioned';
import { RequestContext, itemIdempotencyKey } from '../../core/request-context';
import { problemFromLedgerError } from '../../core/problem';
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

export interface CollectionAnswer {
  success: Record<string, Record<string, unknown>>;
  error: Record<string, unknown>;
}

/** One command per number, each independent: `{success: {n: number}, error: {n: problem}}`. */
export class RunCollectionCommand extends Command<Positioned<CollectionAnswer>> {
  constructor(readonly action: string, readonly input: CollectionDto, readonly ctx: RequestContext) {
    super();
  }
}

@CommandHandler(RunCollectionCommand)
export class RunCollectionHandler implements ICommandHandler<RunCollectionCommand, Positioned<CollectionAnswer>> {
  constructor(private readonly numbers: NumberCommandGateway, private readonly projector: Projector) {}

  async execute({ action, input, ctx }: RunCollectionCommand): Promise<Positioned<CollectionAnswer>> {
    // Own keys only: `__proto__`, `constructor` or `valueOf` are no actions.
    const toCommand = Object.hasOwn(ACTIONS, action) ? ACTIONS[action] : undefined;
    if (!toCommand) throw new HttpException({ code: 'validation_failed', detail: `unknown action ${JSON.stringify(action.slice(0, 64))}; one of ${Object.keys(ACTIONS).join(', ')}` }, 400);
    const answer: CollectionAnswer = { success: {}, error: {} };
    let last: LogPosition | null = null;
    for (const raw of input.numbers) {
      try {
        const outcome = await this.numbers.execute(raw, toCommand(input.accountId), { ...ctx, idempotencyKey: itemIdempotencyKey(ctx.idempotencyKey, raw) });
        if (outcome.position && (!last || comparePositions(outcome.position, last) > 0)) last = outcome.position;
        setEntry(answer.success, outcome.record.number, await this.numbers.present(outcome, ctx.requester));
      } catch (err) {
        if (!(err instanceof LedgerError)) throw err;
        setEntry(answer.error, raw, problemFromLedgerError(err));
      }
    }
    return { answer, position: last ?? this.projector.checkpoint };
  }
}

/** An own entry whatever the key: assigning `__proto__` would set the map's prototype, and the number would get no answer. */
function setEntry<T>(map: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
}
