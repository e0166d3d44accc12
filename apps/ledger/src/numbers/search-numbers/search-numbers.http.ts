import { Inject } from '@nestjs/common';
import { EVENTS, SQL } from '../../stores/tokens';
import { Controller, Get, Query, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { IQueryHandler, QueryBus, QueryHandler } from '@nestjs/cqrs';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { CountryCode, getCountryCallingCode } from 'libphonenumber-js';
import { LedgerError } from '../../../../../libs/domain/src/errors';
import { Requester } from '../../../../../libs/domain/src/types';
import { Projector } from '../../../../../libs/projections/src/projector';
import { InventoryRow } from '../../../../../libs/projections/src/inventory/inventory-row';
import { SqlClient } from '../../../../../libs/sql/src/sql-client';
import { AccountTree } from '../../accounts/account-tree';
import { NumberManagerConfigStore } from '../../config/number-manager-config.store';
import { awaitMinPosition } from '../../http/position';
import { isAdmin } from '../list-numbers/inventory-query';
import { page } from '../list-numbers/list-numbers.http';

export class SearchNumbersDto {
  @Matches(/^\+?\d+$/, { message: 'prefix must be digits' }) @MaxLength(16) prefix!: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) quantity?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(1_000_000) offset?: number;
  @IsOptional() @Matches(/^[A-Z]{2}$/, { message: 'country must be an ISO 3166 alpha-2 code' }) country?: string;
  @IsOptional() @IsString() @MaxLength(128) accountId?: string;
  @IsOptional() @IsString() minPosition?: string;
}

export class SearchNumbersQuery {
  constructor(readonly q: SearchNumbersDto, readonly requester: Requester) {}
}

/** Numbers the account may take now (SPEC 9): free inventory, its managed pool, numbers its ancestors reserved. */
@QueryHandler(SearchNumbersQuery)
export class SearchNumbersHandler implements IQueryHandler<SearchNumbersQuery> {
  constructor(
    @Inject(SQL) private readonly sql: SqlClient,
    private readonly accounts: AccountTree,
    private readonly config: NumberManagerConfigStore,
    private readonly projector: Projector,
  ) {}

  async execute({ q, requester }: SearchNumbersQuery) {
    await awaitMinPosition(this.projector, q.minPosition);
    const config = await this.config.config();
    const accountId = q.accountId ?? requester.accountId;
    this.checkAccount(accountId, requester);
    const prefix = e164Prefix(q.prefix, q.country ?? 'US', config.searchMinPrefixLength);
    const quantity = q.quantity ?? 50;
    const path = this.accounts.pathOf(accountId);
    const s = this.projector.schema;
    const r = await this.sql.query<InventoryRow>(
      `SELECT i.* FROM ${s}.inventory i
       WHERE i.number LIKE $1
         AND ((i.state = 'available' AND (i.pool_account_id IS NULL OR i.pool_account_id = ANY($2::text[])))
           OR (i.state = 'reserved' AND i.assigned_to = ANY($2::text[])))
       ORDER BY i.number OFFSET $3 LIMIT $4`,
      [`${prefix}%`, path.length ? path : [accountId], q.offset ?? 0, quantity + 1],
    );
    const ctx = { now: new Date(), requester, accounts: this.accounts, config };
    const result = page(r.rows, quantity, ctx);
    return { data: result.data, nextOffset: result.nextCursor ? (q.offset ?? 0) + quantity : null };
  }

  private checkAccount(accountId: string, requester: Requester): void {
    if (!this.accounts.get(accountId) && !(requester.isSystem && accountId === requester.accountId)) {
      throw new LedgerError('assign_failure', `unknown account ${accountId}`);
    }
    if (!isAdmin(requester, this.accounts) && !this.accounts.isAncestor(requester.accountId, accountId)) {
      throw new LedgerError('unauthorized', `you may not search for account ${accountId}`);
    }
  }
}

/** '415' in US -> '+1415'; a '+'-prefixed prefix is taken as E.164. */
export function e164Prefix(prefix: string, country: string, minDigits: number): string {
  if (prefix.startsWith('+')) return prefix;
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
@Controller('v1/numbers')
export class SearchNumbersController {
  constructor(private readonly queries: QueryBus) {}

  @Get('search')
  search(@Query() q: SearchNumbersDto, @Req() req: any) {
    return this.queries.execute(new SearchNumbersQuery(q, req.requester));
  }
}
