import { isAdmin } from '../../accounts/account-access';
import { Inject } from '@nestjs/common';
import { EVENTS } from '../../core/tokens';
import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IQueryHandler, Query as BusQuery, QueryBus, QueryHandler } from '@nestjs/cqrs';
import { Caller } from '../../core/entry-decorators';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { IsInstant } from '../../core/instant';
import { canRead, normalizeNumber } from '@ledger/domain';
import { LedgerError } from '@ledger/domain/errors';
import { Requester, numberStreamId } from '@ledger/domain/types';
import { EventStore, RecordedEvent } from '@ledger/event-store/port';
import { AccountTree } from '../../accounts/account-tree';
import { tenantView } from '../../accounts/tenant-view';
import { AccountView } from '@ledger/domain/tenancy/view';
import { NumberManagerConfigStore } from '../../config/number-manager-config.store';
import { NumberCommandRunner } from '../command-runner/number-command-runner';
import { presentNumber } from '../number-view';
import { decodeHistoryCursor, encodeHistoryCursor, HISTORY_LIMIT, visibleFrom } from './history-page';
import { VerifiableLog } from '../../log/verifiable-log';
import { wholeParam } from '../../core/query-params';

export class GetNumberQueryDto {
  @ApiPropertyOptional({ type: String, format: 'date-time', example: '2024-01-01T00:00:00Z', description: 'The number as it was at this instant (ISO 8601, with Z or an offset).' })
  @IsOptional() @IsInstant() asOf?: string;
}

export class GetNumberQuery extends BusQuery<Record<string, unknown>> {
  constructor(readonly number: string, readonly requester: Requester, readonly asOf?: Date) {
    super();
  }
}

/** An event as the caller may see it; `redacted` when accounts outside its view were taken out (SPEC 12). */
export type HistoryEntry = ReturnType<typeof historyEntry> & { redacted?: true };
export interface HistoryPage { data: HistoryEntry[]; nextCursor: string | null }

export class NumberHistoryQuery extends BusQuery<HistoryPage> {
  constructor(readonly number: string, readonly requester: Requester, readonly page: { limit?: number; cursor?: string } = {}) {
    super();
  }
}

export class NumberHistoryDto {
  @ApiPropertyOptional({ type: Number, minimum: 1, maximum: HISTORY_LIMIT.max, default: HISTORY_LIMIT.default, description: 'Events per page.' })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(HISTORY_LIMIT.max) limit?: number;
  @ApiPropertyOptional({ type: String, maxLength: 64, description: 'The nextCursor of the previous page.' })
  @IsOptional() @IsString() @MaxLength(64) cursor?: string;
  @ApiPropertyOptional({ type: String, pattern: '^\\d{1,15}$', description: 'A tree size: each event with its leaf index and inclusion proof against that tree (docs/verifiable-history.md).' })
  @IsOptional() @IsString() @MaxLength(16) proofs?: string;
}

/** The number from its own stream (read-your-writes), as of now or a past instant. */
@QueryHandler(GetNumberQuery)
export class GetNumberHandler implements IQueryHandler<GetNumberQuery, Record<string, unknown>> {
  constructor(private readonly runner: NumberCommandRunner, private readonly accounts: AccountTree, private readonly config: NumberManagerConfigStore) {}

  async execute({ number, requester, asOf }: GetNumberQuery): Promise<Record<string, unknown>> {
    const e164 = normalizeNumber(number);
    const record = asOf ? await this.runner.loadAsOf(e164, asOf) : await this.runner.load(e164);
    if (!record.exists) throw new LedgerError('not_found', `${e164} is not in the ledger${asOf ? ` as of ${asOf.toISOString()}` : ''}`);
    const ctx = { now: asOf ?? new Date(), requester, accounts: this.accounts, config: await this.config.config() };
    if (!canRead(record, ctx)) throw new LedgerError('unauthorized', `you may not read ${e164}`);
    return presentNumber(record, ctx);
  }
}

/**
 * The events of the number, oldest first, a page at a time (only the page is read from
 * the store). Admins see all of it; an account holding the
 * number (or an ancestor of the holder) sees it from when the number came into its subtree,
 * never what earlier tenants did with it.
 */
@QueryHandler(NumberHistoryQuery)
export class NumberHistoryHandler implements IQueryHandler<NumberHistoryQuery, HistoryPage> {
  constructor(@Inject(EVENTS) private readonly events: EventStore, private readonly accounts: AccountTree) {}

  async execute({ number, requester, page }: NumberHistoryQuery): Promise<HistoryPage> {
    const e164 = normalizeNumber(number);
    const streamId = numberStreamId(e164);
    const limit = page.limit ?? HISTORY_LIMIT.default;
    const start = page.cursor !== undefined ? decodeHistoryCursor(page.cursor) : 0;
    let from = 0;
    if (!isAdmin(requester, this.accounts)) {
      const ours = (holder: string | null) => holder !== null && this.accounts.isAncestor(requester.accountId, holder);
      const visible = await visibleFrom(this.events, streamId, e164, ours);
      if (visible === null) throw new LedgerError('not_found', `${e164} is not in the ledger`);
      if (visible < 0) throw new LedgerError('unauthorized', `you may not read the history of ${e164}`);
      from = visible;
    }
    const events = await this.events.readStream(streamId, { fromRevision: Math.max(start, from), maxCount: limit + 1 });
    if (events.length === 0 && start === 0) throw new LedgerError('not_found', `${e164} is not in the ledger`);
    const more = events.length > limit;
    const shown = more ? events.slice(0, limit) : events;
    const view = tenantView(requester, this.accounts);
    return { data: shown.map((e) => inView(historyEntry(e), view)), nextCursor: more ? encodeHistoryCursor(events[limit].revision) : null };
  }
}

/** The entry with every account outside the view taken out, here for every entry (HTTP, gRPC's Structs, proofs). */
function inView(entry: ReturnType<typeof historyEntry>, view: AccountView): HistoryEntry {
  if (view.seesAll) return entry;
  const shown = view.answer(entry);
  return JSON.stringify(shown) === JSON.stringify(entry) ? entry : { ...shown, redacted: true };
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
  constructor(private readonly queries: QueryBus, private readonly log: VerifiableLog) {}

  @Get(':number')
  get(@Param('number') number: string, @Query() q: GetNumberQueryDto, @Caller() requester: Requester) {
    return this.queries.execute(new GetNumberQuery(number, requester, q.asOf ? new Date(q.asOf) : undefined));
  }

  /** Oldest first, a page at a time (`limit`, `cursor`; `nextCursor` is null on the last page). */
  @Get(':number/history')
  async history(@Param('number') number: string, @Query() q: NumberHistoryDto, @Caller() requester: Requester) {
    const treeSize = q.proofs === undefined ? null : wholeParam('proofs', q.proofs, 1);
    const history = await this.queries.execute(new NumberHistoryQuery(number, requester, { limit: q.limit, cursor: q.cursor }));
    // proofs=<treeSize>: each event with its leaf index and inclusion proof (docs/verifiable-history.md)
    return treeSize === null ? history : this.log.withInclusionProofs(history, treeSize);
  }
}
