import { isAdmin, requireAccountAccess } from './account-access';
import { QueryBus } from '@nestjs/cqrs';
import { requestContextFrom } from '../core/request-context';
import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, Matches, MaxLength, IsInt, Min } from 'class-validator';
import { randomUUID } from 'node:crypto';
import { SYSTEM_ACCOUNT_ID } from '@ledger/domain/account/events';
import { LedgerError } from '@ledger/domain/errors';
import { NUMBER_STATES, Requester } from '@ledger/domain/types';
import { Projector } from '@ledger/projections/projector';
import { sendPosition } from '../core/position';
import { NoReplay } from '../core/entry-decorators';
import { AccountNumbersQuery } from './account-numbers.query';
import { AccountTree } from './account-tree';
import { AccountWriter } from './account-writer';
import { KeyRing } from './key-ring';

export class CreateAccountDto {
  @ApiPropertyOptional({ type: String, pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$', example: 'acme', description: 'Default: a random UUID.' })
  @IsOptional() @Matches(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/, { message: 'id must be 1-128 letters, digits, _ . -' }) id?: string;
  @ApiProperty({ type: String, maxLength: 200, example: 'Acme Inc.' })
  @IsString() @MaxLength(200) name!: string;
  @ApiPropertyOptional({ type: String, maxLength: 128, example: 'reseller-1', description: 'Default: the caller\'s account.' })
  @IsOptional() @IsString() @MaxLength(128) parentId?: string;
  @ApiPropertyOptional({ type: Boolean, default: false })
  @IsOptional() @IsBoolean() reseller?: boolean;
  @ApiPropertyOptional({ type: Boolean, default: false, description: 'Only the system may create super admins.' })
  @IsOptional() @IsBoolean() superAdmin?: boolean;
  @ApiPropertyOptional({ type: Boolean, default: false, description: 'The account may add numbers to the ledger.' })
  @IsOptional() @IsBoolean() allowNumberAdditions?: boolean;
  @ApiPropertyOptional({ type: Number, minimum: 0, description: 'Most billable numbers the account may hold at once (402 service_restriction above); set by an admin or a reseller above it.' })
  @IsOptional() @IsInt() @Min(0) maxBillableNumbers?: number;
}

export class IssueKeyDto {
  @ApiPropertyOptional({ type: String, maxLength: 200, example: 'billing integration', description: 'A label for the key.' })
  @IsOptional() @IsString() @MaxLength(200) name?: string;
}

export class AccountNumbersDto {
  @ApiPropertyOptional({ enum: [...NUMBER_STATES], description: 'Only numbers in this state.' })
  @IsOptional() @IsIn(NUMBER_STATES) state?: string;
}

@ApiTags('accounts')
@ApiBearerAuth()
@Controller('v1/accounts')
export class AccountsController {
  constructor(
    private readonly tree: AccountTree,
    private readonly writer: AccountWriter,
    private readonly projector: Projector,
    private readonly queries: QueryBus,
    private readonly keys: KeyRing,
  ) {}

  @Post()
  @HttpCode(201)
  async create(@Body() dto: CreateAccountDto, @Req() req: any, @Res({ passthrough: true }) reply: any) {
    const requester: Requester = req.requester;
    const parentId = dto.parentId ?? requester.accountId;
    if (!this.tree.get(parentId)) throw new LedgerError('assign_failure', `parent account ${parentId} does not exist`);
    requireAccountAccess(this.tree, requester, parentId, 'create accounts under');
    if (dto.superAdmin && !requester.isSystem) throw new LedgerError('unauthorized', 'only the system may create super admins');
    this.mayGrant(requester, dto);
    const id = dto.id ?? randomUUID();
    const position = await this.writer.create(
      {
        id, name: dto.name, parentId, reseller: dto.reseller ?? false, superAdmin: dto.superAdmin ?? false,
        allowNumberAdditions: dto.allowNumberAdditions ?? false,
        maxBillableNumbers: dto.maxBillableNumbers ?? null,
      },
      requestContextFrom(req),
    );
    sendPosition(reply, position, this.projector);
    return this.present(id);
  }

  @Get(':id')
  get(@Param('id') id: string, @Req() req: any) {
    requireAccountAccess(this.tree, req.requester, id);
    return this.present(id);
  }

  @Post(':id/keys')
  @NoReplay() // the key is shown once: a retry issues a new one rather than storing this one
  @HttpCode(201)
  async issueKey(@Param('id') id: string, @Body() dto: IssueKeyDto, @Req() req: any, @Res({ passthrough: true }) reply: any) {
    requireAccountAccess(this.tree, req.requester, id);
    const issued = await this.writer.issueKey(id, dto.name ?? null, requestContextFrom(req));
    sendPosition(reply, issued.position, this.projector);
    return { accountId: id, keyId: issued.keyId, name: dto.name ?? null, key: issued.key };
  }

  /** The account's keys: ids, names, when issued; never a key or its hash. */
  @Get(':id/keys')
  async listKeys(@Param('id') id: string, @Req() req: any) {
    requireAccountAccess(this.tree, req.requester, id);
    return { data: await this.keys.list(id) };
  }

  /** Revokes the key: refused from the answer on, by every instance. */
  @Delete(':id/keys/:keyId')
  @HttpCode(204)
  async revokeKey(@Param('id') id: string, @Param('keyId') keyId: string, @Req() req: any, @Res({ passthrough: true }) reply: any) {
    requireAccountAccess(this.tree, req.requester, id);
    if (!(await this.keys.list(id)).some((k) => k.keyId === keyId)) throw new LedgerError('not_found', `the account has no key ${keyId}`);
    sendPosition(reply, await this.writer.revokeKey(id, keyId, requestContextFrom(req)), this.projector);
  }

  @Get(':id/numbers')
  numbersOf(@Param('id') id: string, @Query() q: AccountNumbersDto, @Req() req: any) {
    requireAccountAccess(this.tree, req.requester, id);
    return this.queries.execute(new AccountNumbersQuery(id, q.state, req.requester));
  }

  /** An account cannot give a sub-account rights it does not have itself. */
  private mayGrant(requester: Requester, dto: CreateAccountDto): void {
    if (isAdmin(requester, this.tree)) return;
    const own = this.tree.get(requester.accountId);
    if (dto.reseller && !own?.reseller) throw new LedgerError('unauthorized', 'only resellers may create resellers');
    if (dto.allowNumberAdditions && !own?.allowNumberAdditions) {
      throw new LedgerError('unauthorized', 'only accounts allowed to add numbers may pass that right on');
    }
  }

  private present(id: string) {
    const a = this.tree.get(id)!;
    const path = this.tree.pathOf(id);
    return { ...a, ancestors: path.slice(0, -1), isSystem: id === SYSTEM_ACCOUNT_ID };
  }
}
