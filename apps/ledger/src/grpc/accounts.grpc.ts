import { Controller, UseFilters, UseInterceptors } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { GrpcMethod } from '@nestjs/microservices';
import type { Metadata } from '@grpc/grpc-js';
import { AccountNumbersDto, ListAccountNumbersQuery } from '../accounts/account-numbers/list-account-numbers';
import { IssueKeyCommand, IssueKeyDto } from '../accounts/account-keys/issue-key';
import { ListKeysQuery } from '../accounts/account-keys/list-keys';
import { RevokeKeyCommand } from '../accounts/account-keys/revoke-key';
import { CreateAccountCommand, CreateAccountDto } from '../accounts/create-account/create-account';
import { GetAccountQuery } from '../accounts/get-account/get-account';
import { Public } from '../core/entry-decorators';
import { GrpcCaller } from './grpc-caller';
import { TenantViewInterceptor } from './tenant-view.interceptor';
import { GrpcErrorFilter } from './grpc-error.filter';
import { given, numberPage } from './number-message';

interface CreateAccountRequest {
  id?: string; name?: string; parentId?: string; reseller?: boolean; superAdmin?: boolean; allowNumberAdditions?: boolean; maxBillableNumbers?: number;
}
interface AccountRequest { id?: string }
interface KeyRequest { accountId?: string; name?: string; keyId?: string }
interface AccountNumbersRequest { accountId?: string; state?: string }

/** `numbers.ledger.v1.Accounts`: the account use cases on the CommandBus / QueryBus, as over HTTP. */
@Controller()
@Public() // the HTTP AuthGuard does not apply: GrpcCaller reads the key from the call metadata
@UseFilters(GrpcErrorFilter)
@UseInterceptors(TenantViewInterceptor)
export class AccountsGrpcController {
  constructor(private readonly caller: GrpcCaller, private readonly commands: CommandBus, private readonly queries: QueryBus) {}

  @GrpcMethod('Accounts', 'CreateAccount')
  create(r: CreateAccountRequest, metadata: Metadata) {
    return this.caller.command(metadata, 'CreateAccount', r, async (ctx) => {
      const dto = this.caller.validated(CreateAccountDto, given(r));
      const { answer, position } = await this.commands.execute(new CreateAccountCommand(dto, ctx));
      return { account: answer, position };
    });
  }

  @GrpcMethod('Accounts', 'GetAccount')
  async get(r: AccountRequest, metadata: Metadata) {
    const requester = await this.caller.requester(metadata);
    return this.queries.execute(new GetAccountQuery(r.id ?? '', requester));
  }

  @GrpcMethod('Accounts', 'IssueAccountKey')
  issueKey(r: KeyRequest, metadata: Metadata) {
    return this.caller.command(metadata, 'IssueAccountKey', r, async (ctx) => {
      const dto = this.caller.validated(IssueKeyDto, given({ name: r.name }));
      const { answer, position } = await this.commands.execute(new IssueKeyCommand(r.accountId ?? '', dto, ctx));
      return { ...answer, position };
    });
  }

  @GrpcMethod('Accounts', 'ListAccountKeys')
  async listKeys(r: AccountRequest, metadata: Metadata) {
    const requester = await this.caller.requester(metadata);
    return this.queries.execute(new ListKeysQuery(r.id ?? '', requester));
  }

  @GrpcMethod('Accounts', 'RevokeAccountKey')
  revokeKey(r: KeyRequest, metadata: Metadata) {
    return this.caller.command(metadata, 'RevokeAccountKey', r, async (ctx) => {
      const position = await this.commands.execute(new RevokeKeyCommand(r.accountId ?? '', r.keyId ?? '', ctx));
      return { position };
    });
  }

  @GrpcMethod('Accounts', 'ListAccountNumbers')
  async numbers(r: AccountNumbersRequest, metadata: Metadata) {
    const requester = await this.caller.requester(metadata);
    const dto = this.caller.validated(AccountNumbersDto, given({ state: r.state }));
    return numberPage(await this.queries.execute(new ListAccountNumbersQuery(r.accountId ?? '', dto, requester)));
  }
}
