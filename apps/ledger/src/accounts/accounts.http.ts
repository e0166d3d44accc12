import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { randomUUID } from 'node:crypto';
import { SYSTEM_ACCOUNT_ID } from '../../../../libs/domain/src/account-events';
import { LedgerError } from '../../../../libs/domain/src/errors';
import { NUMBER_STATES, Requester } from '../../../../libs/domain/src/types';
import { Projector } from '../../../../libs/projections/src/projector';
import { sendPosition } from '../http/position';
import { isAdmin } from '../numbers/list-numbers/inventory-query';
import { NumberCommandGateway } from '../numbers/command-runner/number-command.gateway';
import { ListNumbersHandler, ListNumbersQuery } from '../numbers/list-numbers/list-numbers.http';
import { AccountTree } from './account-tree';
import { AccountWriter } from './account-writer';

export class CreateAccountDto {
  @IsOptional() @Matches(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/, { message: 'id must be 1-128 letters, digits, _ . -' }) id?: string;
  @IsString() @MaxLength(200) name!: string;
  @IsOptional() @IsString() @MaxLength(128) parentId?: string;
  @IsOptional() @IsBoolean() reseller?: boolean;
  @IsOptional() @IsBoolean() superAdmin?: boolean;
  @IsOptional() @IsBoolean() allowNumberAdditions?: boolean;
}

export class IssueKeyDto {
  @IsOptional() @IsString() @MaxLength(200) name?: string;
}

export class AccountNumbersDto {
  @IsOptional() @IsIn(NUMBER_STATES) state?: string;
}

@ApiTags('accounts')
@Controller('v1/accounts')
export class AccountsController {
  constructor(
    private readonly tree: AccountTree,
    private readonly writer: AccountWriter,
    private readonly numbers: NumberCommandGateway,
    private readonly projector: Projector,
    private readonly listing: ListNumbersHandler,
  ) {}

  @Post()
  @HttpCode(201)
  async create(@Body() dto: CreateAccountDto, @Req() req: any, @Res({ passthrough: true }) reply: any) {
    const requester: Requester = req.requester;
    const parentId = dto.parentId ?? requester.accountId;
    if (!this.tree.get(parentId)) throw new LedgerError('assign_failure', `parent account ${parentId} does not exist`);
    this.mayActOn(requester, parentId);
    if (dto.superAdmin && !requester.isSystem) throw new LedgerError('unauthorized', 'only the system may create super admins');
    const id = dto.id ?? randomUUID();
    const position = await this.writer.create(
      {
        id, name: dto.name, parentId, reseller: dto.reseller ?? false, superAdmin: dto.superAdmin ?? false,
        allowNumberAdditions: dto.allowNumberAdditions ?? false,
      },
      this.numbers.metaFrom(req),
    );
    sendPosition(reply, position, this.projector);
    return this.present(id);
  }

  @Get(':id')
  get(@Param('id') id: string, @Req() req: any) {
    this.mayActOn(req.requester, this.known(id));
    return this.present(id);
  }

  @Post(':id/keys')
  @HttpCode(201)
  async issueKey(@Param('id') id: string, @Body() dto: IssueKeyDto, @Req() req: any, @Res({ passthrough: true }) reply: any) {
    this.mayActOn(req.requester, this.known(id));
    const issued = await this.writer.issueKey(id, dto.name ?? null, this.numbers.metaFrom(req));
    sendPosition(reply, issued.position, this.projector);
    return { accountId: id, keyId: issued.keyId, name: dto.name ?? null, key: issued.key };
  }

  @Get(':id/numbers')
  numbersOf(@Param('id') id: string, @Query() q: AccountNumbersDto, @Req() req: any) {
    this.mayActOn(req.requester, this.known(id));
    return this.listing.execute(new ListNumbersQuery({ assignedTo: id, state: q.state, limit: 1000 }, req.requester));
  }

  private known(id: string): string {
    if (!this.tree.get(id)) throw new LedgerError('not_found', `account ${id} does not exist`);
    return id;
  }

  private mayActOn(requester: Requester, accountId: string): void {
    if (isAdmin(requester, this.tree) || this.tree.isAncestor(requester.accountId, accountId)) return;
    throw new LedgerError('unauthorized', `account ${requester.accountId} may not act on account ${accountId}`);
  }

  private present(id: string) {
    const a = this.tree.get(id)!;
    const path = this.tree.pathOf(id);
    return { ...a, ancestors: path.slice(0, -1), isSystem: id === SYSTEM_ACCOUNT_ID };
  }
}
