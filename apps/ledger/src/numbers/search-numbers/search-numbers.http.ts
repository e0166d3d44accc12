import { requireAccountAccess } from '../../accounts/account-access';
import { Inject } from '@nestjs/common';
import { SQL } from '../../core/tokens';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IQueryHandler, Query as BusQuery, QueryBus, QueryHandler } from '@nestjs/cqrs';
import { Caller } from '../../core/entry-decorators';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { CountryCode, getCountryCallingCode } from 'libphonenumber-js';
import { isAdmin } from '@ledger/domain/authorization';
import { LedgerError } from '@ledger/domain/errors';
import { DecisionContext, Requester } from '@ledger/domain/types';
import type { IntegrationModule, UpstreamNumber } from '@ledger/carriers';
import { Projector } from '@ledger/projections/projector';
import { recordFromRow } from '@ledger/projections/inventory/inventory-row';
import { InventoryQueries } from '@ledger/projections/inventory/queries';
import { SqlClient } from '@ledger/sql/sql-client';
import { AccountTree } from '../../accounts/account-tree';
import { NumberManagerConfigStore } from '../../config/number-manager-config.store';
import { awaitMinPosition, MIN_POSITION_DOC } from '../../core/position';
import { page } from '../list-numbers/list-numbers.http';
import { CarrierDirectory, EnabledCarriers } from '../../carriers/carrier-directory';
import { NumberCommandGateway } from '../command-runner/number-command.gateway';
import { presentNumber } from '../number-view';
import { carrierReportFor, searchCarriers } from './carrier-fan-out';
import { CarrierAccounts, recordDiscoveries } from './record-discoveries';
import { SearchResult, SearchResultCache } from './search-result-cache';

/** Upstream answers are kept this long per query so later pages stay the same (SPEC 9). */
const RESULT_TTL_MS = 5 * 60_000;
/** A degraded answer (a carrier timed out or failed) is asked again sooner. */
const DEGRADED_RESULT_TTL_MS = 30_000;
/** With carriers enabled, an answer holds at most this many inventory numbers. */
const CACHED_INVENTORY = 1000;
/** How many numbers each carrier is asked for, whatever the first page's size (later pages share the answer). */
const MIN_UPSTREAM = 20;
const MAX_UPSTREAM = 100;
const DISCOVERY_WAIT_MS = 5000;

export class SearchNumbersDto {
  @ApiProperty({ type: String, pattern: '^\\+?\\d+$', maxLength: 16, example: '415', description: 'National digits in `country`, or E.164 digits after +.' })
  @Matches(/^\+?\d+$/, { message: 'prefix must be digits' }) @MaxLength(16) prefix!: string;
  @ApiPropertyOptional({ type: Number, minimum: 1, maximum: 1000, default: 50, description: 'Page size.' })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) quantity?: number;
  @ApiPropertyOptional({ type: Number, minimum: 0, maximum: 1_000_000, default: 0, description: 'The nextOffset of the previous page.' })
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(1_000_000) offset?: number;
  @ApiPropertyOptional({ type: String, pattern: '^[A-Z]{2}$', default: 'US', example: 'US', description: 'ISO 3166 alpha-2 country of a national prefix.' })
  @IsOptional() @Matches(/^[A-Z]{2}$/, { message: 'country must be an ISO 3166 alpha-2 code' }) country?: string;
  @ApiPropertyOptional({ type: String, maxLength: 128, example: 'acme', description: 'Account searching (default: the caller).' })
  @IsOptional() @IsString() @MaxLength(128) accountId?: string;
  @ApiPropertyOptional({ type: String, description: MIN_POSITION_DOC })
  @IsOptional() @IsString() minPosition?: string;
}

/** A page of takeable numbers (`data`, `nextOffset`), with a `carriers` report when carriers were asked. */
export interface SearchAnswer { data: Record<string, unknown>[]; nextOffset: number | null }

export class SearchNumbersQuery extends BusQuery<SearchAnswer> {
  constructor(readonly q: SearchNumbersDto, readonly requester: Requester) {
    super();
  }
}

/**
 * Numbers the account may take now (SPEC 9): free inventory, its managed pool,
 * numbers its ancestors reserved and, when carriers are enabled for it,
 * numbers found upstream (`discovery`), with a `carriers` report per module.
 */
@QueryHandler(SearchNumbersQuery)
export class SearchNumbersHandler implements IQueryHandler<SearchNumbersQuery, SearchAnswer> {
  private readonly cache = new SearchResultCache(RESULT_TTL_MS, DEGRADED_RESULT_TTL_MS);

  constructor(
    @Inject(SQL) private readonly sql: SqlClient,
    private readonly accounts: AccountTree,
    private readonly config: NumberManagerConfigStore,
    private readonly projector: Projector,
    private readonly carriers: CarrierDirectory,
    private readonly numbers: NumberCommandGateway,
  ) {
    carriers.store.onChange(() => this.cache.clear());
  }

  async execute({ q, requester }: SearchNumbersQuery): Promise<SearchAnswer> {
    await awaitMinPosition(this.projector, q.minPosition, ['inventory']);
    const config = await this.config.config();
    const accountId = q.accountId ?? requester.accountId;
    this.checkAccount(accountId, requester);
    const prefix = e164Prefix(q.prefix, q.country ?? 'US', config.searchMinPrefixLength);
    const quantity = q.quantity ?? 50;
    const ctx = { now: new Date(), requester, accounts: this.accounts, config };
    const carriers = await this.carriers.enabledFor(accountId);
    if (carriers.modules.length === 0 && carriers.refused.length === 0) {
      const rows = await this.inventory(accountId, prefix, q.offset ?? 0, quantity + 1);
      const result = page(rows, quantity, ctx);
      return { data: result.data, nextOffset: result.nextCursor ? (q.offset ?? 0) + quantity : null };
    }
    const key = [accountId, prefix, carriers.modules.join(',')].join('|');
    const found = await this.cache.get(key, () => this.searchEverywhere(accountId, prefix, q, quantity, carriers));
    return this.pageOf(found, accountId, q.offset ?? 0, quantity, ctx);
  }

  /** Takeable inventory rows: free inventory, the managed pool of the path, numbers reserved along it. */
  private async inventory(accountId: string, prefix: string, offset: number, limit: number, onlyNumbers?: string[]) {
    const path = this.accounts.pathOf(accountId);
    return new InventoryQueries(this.sql, this.projector.schema).takeable(prefix, path.length ? path : [accountId], offset, limit, onlyNumbers);
  }

  /** Inventory and every enabled carrier at once; found numbers become `discovery` entries. */
  private async searchEverywhere(accountId: string, prefix: string, q: SearchNumbersDto, quantity: number, carriers: EnabledCarriers): Promise<SearchResult> {
    const country = q.country ?? 'US';
    const national = nationalPrefix(prefix, country);
    const [local, upstream] = await Promise.all([
      this.inventory(accountId, prefix, 0, CACHED_INVENTORY),
      national === null
        ? { found: [], carriers: carriers.modules.map((module) => ({ module, status: 'failed' as const, error: `prefix ${prefix} is not in ${country}` })) }
        : searchCarriers(this.carriers, carriers.modules, accountId, { prefix: national, quantity: Math.min(Math.max(quantity, MIN_UPSTREAM), MAX_UPSTREAM), country }),
    ]);
    const carrierAccounts = await this.carrierAccounts(carriers.modules, accountId);
    const discovered = await recordDiscoveries(this.numbers, upstream.found.filter((n) => n.number.startsWith(prefix)), carrierAccounts);
    const numbers = [...new Set([...local.map((r) => r.number), ...discovered.kept.keys()])].sort();
    const refused = carriers.refused.map((r) => ({ module: r.module, status: 'failed' as const, error: r.reason }));
    return { numbers, upstream: discovered.kept, carriers: [...upstream.carriers, ...refused], carrierAccounts, position: discovered.position };
  }

  /** For each module, whose carrier account searches for the account (and would buy what it finds). */
  private async carrierAccounts(modules: IntegrationModule[], accountId: string): Promise<CarrierAccounts> {
    return Object.fromEntries(await Promise.all(modules.map(async (m) => [m, await this.carriers.carrierAccountOf(m, accountId)] as const)));
  }

  /** One page of a cached answer, each number as it is now (taken ones drop out, the order stays). */
  private async pageOf(found: SearchResult, accountId: string, offset: number, quantity: number, ctx: DecisionContext) {
    if (found.position) await this.projector.waitFor(found.position, DISCOVERY_WAIT_MS, ['inventory']);
    const wanted = found.numbers.slice(offset, offset + quantity);
    const rows = wanted.length ? await this.inventory(accountId, '+', 0, wanted.length, wanted) : [];
    // Found earlier through another carrier account: buying it through this one would be refused.
    const onOffer = rows.filter((row) => row.state !== 'discovery' || row.pool_account_id === (found.carrierAccounts[row.carrier_module] ?? null));
    const data = onOffer.map((row) => {
      const number = presentNumber(recordFromRow(row), ctx);
      const upstream = found.upstream.get(row.number);
      return upstream && row.state === 'discovery' ? { ...number, upstream: upstreamView(upstream) } : number;
    });
    const admin = isAdmin(ctx);
    const carriers = found.carriers.map((r) => carrierReportFor(r, admin));
    return { data, nextOffset: offset + quantity < found.numbers.length ? offset + quantity : null, carriers };
  }

  /** requireAccountAccess; the system may search for itself, and an admin hears `assign_failure` for an unknown account. */
  private checkAccount(accountId: string, requester: Requester): void {
    if (requester.isSystem && accountId === requester.accountId) return;
    try {
      requireAccountAccess(this.accounts, requester, accountId, 'search for');
    } catch (err) {
      if (err instanceof LedgerError && err.code === 'not_found') throw new LedgerError('assign_failure', `unknown account ${accountId}`);
      throw err;
    }
  }
}

/** '+1415' in US -> '415', the prefix carriers take; null when the prefix is not in that country. */
export function nationalPrefix(e164: string, country: string): string | null {
  let code: string;
  try {
    code = `+${getCountryCallingCode(country as CountryCode)}`;
  } catch {
    return null;
  }
  return e164.startsWith(code) ? e164.slice(code.length) : null;
}

function upstreamView(n: UpstreamNumber) {
  return { carrierModule: n.carrierModule, costs: n.costs, rate: n.rate, region: n.region, locality: n.locality, rateCenter: n.rateCenter };
}

/** '415' in US -> '+1415'; a '+'-prefixed prefix is taken as E.164. */
export function e164Prefix(prefix: string, country: string, minDigits: number): string {
  // An E.164 prefix carries a country code of at least one digit before the area digits.
  if (prefix.startsWith('+')) {
    if (prefix.length - 1 < minDigits + 1) throw new LedgerError('validation_failed', `prefix needs a country code and at least ${minDigits} digits`);
    return prefix;
  }
  if (prefix.length < minDigits) {
    throw new LedgerError('validation_failed', `prefix needs at least ${minDigits} digits`);
  }
  let code: string;
  try {
    code = getCountryCallingCode(country as CountryCode);
  } catch {
    throw new LedgerError('validation_failed', `unknown country ${country}`);
  }
  return `+${code}${prefix}`;
}

@ApiTags('numbers')
@ApiBearerAuth()
@Controller('v1/numbers')
export class SearchNumbersController {
  constructor(private readonly queries: QueryBus) {}

  @Get('search')
  search(@Query() q: SearchNumbersDto, @Caller() requester: Requester) {
    return this.queries.execute(new SearchNumbersQuery(q, requester));
  }
}
