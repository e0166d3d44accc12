import { Inject } from '@nestjs/common';
import { EVENTS } from '../../stores/tokens';
import { Controller, Get, Param, Query, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { IQueryHandler, QueryBus, QueryHandler } from '@nestjs/cqrs';
import { IsISO8601, IsOptional } from 'class-validator';
import { canRead, normalizeNumber } from '../../../../../libs/domain/src';
import { LedgerError } from '../../../../../libs/domain/src/errors';
import { Requester, numberStreamId } from '../../../../../libs/domain/src/types';
import { EventStore } from '../../../../../libs/event-store/src/port';
import { AccountTree } from '../../accounts/account-tree';
import { NumberManagerConfigStore } from '../../config/number-manager-config.store';
import { NumberCommandRunner } from '../command-runner/number-command-runner';
import { presentNumber } from '../number-view';

export class GetNumberQueryDto {
  @IsOptional() @IsISO8601({ strict: true }) asOf?: string;
}

export class GetNumberQuery {
  constructor(readonly number: string, readonly requester: Requester, readonly asOf?: Date) {}
}

export class NumberHistoryQuery {
  constructor(readonly number: string, readonly requester: Requester) {}
}

/** The number from its own stream (read-your-writes), as of now or a past instant. */
@QueryHandler(GetNumberQuery)
export class GetNumberHandler implements IQueryHandler<GetNumberQuery> {
  constructor(private readonly runner: NumberCommandRunner, private readonly accounts: AccountTree, private readonly config: NumberManagerConfigStore) {}

  async execute({ number, requester, asOf }: GetNumberQuery) {
    const e164 = normalizeNumber(number);
    const record = asOf ? await this.runner.loadAsOf(e164, asOf) : await this.runner.load(e164);
    if (!record.exists) throw new LedgerError('not_found', `${e164} is not in the ledger${asOf ? ` as of ${asOf.toISOString()}` : ''}`);
    const ctx = { now: asOf ?? new Date(), requester, accounts: this.accounts, config: await this.config.config() };
    if (!canRead(record, ctx)) throw new LedgerError('unauthorized', `you may not read ${e164}`);
    return presentNumber(record, ctx);
  }
}

/** Every event of the number, oldest first. Readable when the number itself is readable now. */
@QueryHandler(NumberHistoryQuery)
export class NumberHistoryHandler implements IQueryHandler<NumberHistoryQuery> {
  constructor(@Inject(EVENTS) private readonly events: EventStore, private readonly numbers: GetNumberHandler) {}

  async execute({ number, requester }: NumberHistoryQuery) {
    const e164 = normalizeNumber(number);
    await this.numbers.execute(new GetNumberQuery(e164, requester));
    const history = await this.events.readStream(numberStreamId(e164));
    return {
      data: history.map((e) => ({
        position: e.position,
        revision: e.revision,
        id: e.id,
        type: e.type,
        data: e.data,
        metadata: e.metadata,
        recordedAt: e.recordedAt.toISOString(),
      })),
    };
  }
}

@ApiTags('numbers')
@Controller('v1/numbers')
export class GetNumberController {
  constructor(private readonly queries: QueryBus) {}

  @Get(':number')
  get(@Param('number') number: string, @Query() q: GetNumberQueryDto, @Req() req: any) {
    return this.queries.execute(new GetNumberQuery(number, req.requester, q.asOf ? new Date(q.asOf) : undefined));
  }

  @Get(':number/history')
  history(@Param('number') number: string, @Req() req: any) {
    return this.queries.execute(new NumberHistoryQuery(number, req.requester));
  }
}
