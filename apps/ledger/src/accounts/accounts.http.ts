import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Requester } from '@ledger/domain/types';
import { RequestContext } from '../core/request-context';
import { Caller } from '../core/entry-decorators';
import { NoReplay } from '../core/entry-decorators';
import { sendPosition } from '../core/position';
import { Context } from '../core/request-context.decorator';
import { AccountNumbersDto, ListAccountNumbersQuery } from './account-numbers/list-account-numbers';
import { IssueKeyCommand, IssueKeyDto } from './account-keys/issue-key';
import { ListKeysQuery } from './account-keys/list-keys';
import { RevokeKeyCommand } from './account-keys/revoke-key';
import { CreateAccountCommand, CreateAccountDto } from './create-account/create-account';
import { GetAccountQuery } from './get-account/get-account';

@ApiTags('accounts')
@ApiBearerAuth()
@Controller('v1/accounts')
export class AccountsController {
  constructor(private readonly commands: CommandBus, private readonly queries: QueryBus) {}

  @Post()
  @HttpCode(201)
  async create(@Body() dto: CreateAccountDto, @Context() ctx: RequestContext, @Res({ passthrough: true }) reply: FastifyReply) {
    const { answer, position } = await this.commands.execute(new CreateAccountCommand(dto, ctx));
    sendPosition(reply, position);
    return answer;
  }

  @Get(':id')
  get(@Param('id') id: string, @Caller() requester: Requester) {
    return this.queries.execute(new GetAccountQuery(id, requester));
  }

  @Post(':id/keys')
  @NoReplay() // the key is shown once: a retry issues a new one rather than storing this one
  @HttpCode(201)
  async issueKey(@Param('id') id: string, @Body() dto: IssueKeyDto, @Context() ctx: RequestContext, @Res({ passthrough: true }) reply: FastifyReply) {
    const { answer, position } = await this.commands.execute(new IssueKeyCommand(id, dto, ctx));
    sendPosition(reply, position);
    return answer;
  }

  /** The account's keys: ids, names, when issued; never a key or its hash. */
  @Get(':id/keys')
  listKeys(@Param('id') id: string, @Caller() requester: Requester) {
    return this.queries.execute(new ListKeysQuery(id, requester));
  }

  /** Revokes the key: refused from the answer on, by every instance. */
  @Delete(':id/keys/:keyId')
  @HttpCode(204)
  async revokeKey(@Param('id') id: string, @Param('keyId') keyId: string, @Context() ctx: RequestContext, @Res({ passthrough: true }) reply: FastifyReply) {
    sendPosition(reply, await this.commands.execute(new RevokeKeyCommand(id, keyId, ctx)));
  }

  @Get(':id/numbers')
  numbersOf(@Param('id') id: string, @Query() q: AccountNumbersDto, @Caller() requester: Requester) {
    return this.queries.execute(new ListAccountNumbersQuery(id, q, requester));
  }
}
