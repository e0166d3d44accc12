import { isAdmin } from '../../accounts/account-access';
import { Inject } from '@nestjs/common';
import { EVENTS } from '../../stores/tokens';
import { Controller, Get, Param, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IQueryHandler, QueryBus, QueryHandler } from '@nestjs/cqrs';
import { IsISO8601, IsOptional } from 'class-validator';
import { canRead, evolve, initialNumberRecord, normalizeNumber } from '../../../../../libs/domain/src';
import { LedgerError } from '../../../../../libs/domain/src/errors';
import { Requester, numberStreamId } from '../../../../../libs/domain/src/types';
import { EventStore, RecordedEvent } from '../../../../../libs/event-store/src/port';
import { AccountTree } from '../../accounts/account-tree';
import { NumberManagerConfigStore } from '../../config/number-manager-config.store';
import { NumberCommandRunner, toNumberEvents } from '../command-runner/number-command-runner';
import { presentNumber } from '../number-view';
import { LedgerRuntime } from '../../ledger-runtime';
import { wholeParam, withInclusionProofs } from '../../log/log-proofs';

export class GetNumberQueryDto {
  @ApiPropertyOptional({ type: String, format: 'date-time', example: '2024-01-01T00:00:00Z', description: 'The number as it was at this instant (ISO 8601).' })
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

/**
 * Every event of the number, oldest first. Admins see all of it; an account holding the
 * number (or an ancestor of the holder) sees it from when the number came into its subtree,
 * never what earlier tenants did with it.
 */
@QueryHandler(NumberHistoryQuery)
export class NumberHistoryHandler implements IQueryHandler<NumberHistoryQuery> {
  constructor(@Inject(EVENTS) private readonly events: EventStore, private readonly accounts: AccountTree) {}

  async execute({ number, requester }: NumberHistoryQuery) {
    const e164 = normalizeNumber(number);
    const history = await this.events.readStream(numberStreamId(e164));
    const holders = holdersAfterEach(e164, history);
    if (holders.length === 0) throw new LedgerError('not_found', `${e164} is not in the ledger`);
    const ours = (holder: string | null) => holder !== null && this.accounts.isAncestor(requester.accountId, holder);
    let from = 0;
    if (!isAdmin(requester, this.accounts)) {
      if (!ours(holders[holders.length - 1])) throw new LedgerError('unauthorized', `you may not read the history of ${e164}`);
      from = holders.length - 1;
      while (from > 0 && ours(holders[from - 1])) from--;
    }
    return { data: history.slice(from).map(historyEntry) };
  }
}

/** Who held the number after each event. */
function holdersAfterEach(e164: string, history: RecordedEvent[]): Array<string | null> {
  let record = initialNumberRecord(e164);
  return toNumberEvents(history).map((event) => {
    record = evolve(record, event);
    return record.assignedTo;
  });
}

function historyEntry(e: RecordedEvent) {
  return {
    position: e.position,
    revision: e.revision,
    id: e.id,
    type: e.type,
    data: e.data,
    metadata: e.metadata,
    recordedAt: e.recordedAt.toISOString(),
  };
}

@ApiTags('numbers')
@ApiBearerAuth()
@Controller('v1/numbers')
export class GetNumberController {
  constructor(private readonly queries: QueryBus, private readonly runtime: LedgerRuntime) {}

  @Get(':number')
  get(@Param('number') number: string, @Query() q: GetNumberQueryDto, @Req() req: any) {
    return this.queries.execute(new GetNumberQuery(number, req.requester, q.asOf ? new Date(q.asOf) : undefined));
  }

  @Get(':number/history')
  async history(@Param('number') number: string, @Req() req: any, @Query('proofs') proofs?: string) {
    const treeSize = proofs === undefined ? null : wholeParam('proofs', proofs, 1);
    const history = await this.queries.execute(new NumberHistoryQuery(number, req.requester));
    // proofs=<treeSize>: each event with its leaf index and inclusion proof (docs/verifiable-history.md)
    return treeSize === null ? history : withInclusionProofs(this.runtime.log.store, history, treeSize);
  }
}
