import { Controller, OnModuleInit, UseFilters, UseInterceptors } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { GrpcMethod } from '@nestjs/microservices';
import type { Metadata } from '@grpc/grpc-js';
import { randomUUID } from 'node:crypto';
import { AccountNumbersDto, AccountsController, CreateAccountDto, IssueKeyDto } from '../accounts/accounts.http';
import { Public } from '../core/entry-decorators';
import { ControllerExchange, GrpcCaller } from './grpc-caller';
import { TenantViewInterceptor } from './tenant-view.interceptor';
import { GrpcErrorFilter } from './grpc-error.filter';
import { given, numberPage } from './number-message';

type Req = Record<string, any>;

/**
 * `numbers.ledger.v1.Accounts`. The account rules (who may create or read which
 * account) live in the HTTP use case, which this entry runs as is.
 */
@Controller()
@Public() // the HTTP AuthGuard does not apply: GrpcCaller reads the key from the call metadata
@UseFilters(GrpcErrorFilter)
@UseInterceptors(TenantViewInterceptor)
export class AccountsGrpcController implements OnModuleInit {
  private accounts!: AccountsController;

  constructor(private readonly caller: GrpcCaller, private readonly modules: ModuleRef) {}

  onModuleInit(): void {
    this.accounts = this.modules.get(AccountsController, { strict: false });
  }

  @GrpcMethod('Accounts', 'CreateAccount')
  create(r: Req, metadata: Metadata) {
    return this.caller.command(metadata, 'CreateAccount', r, async (meta) => {
      const dto = this.caller.validated(CreateAccountDto, given(r));
      const exchange = new ControllerExchange(meta);
      const account = await this.accounts.create(dto, exchange.request, exchange.reply);
      return { account, position: exchange.position };
    });
  }

  @GrpcMethod('Accounts', 'GetAccount')
  async get(r: Req, metadata: Metadata) {
    const requester = await this.caller.requester(metadata);
    return this.accounts.get(r.id ?? '', { requester });
  }

  @GrpcMethod('Accounts', 'IssueAccountKey')
  issueKey(r: Req, metadata: Metadata) {
    return this.caller.command(metadata, 'IssueAccountKey', r, async (meta) => {
      const dto = this.caller.validated(IssueKeyDto, given({ name: r.name }));
      const exchange = new ControllerExchange(meta);
      const issued = await this.accounts.issueKey(r.accountId ?? '', dto, exchange.request, exchange.reply);
      return { ...issued, position: exchange.position };
    });
  }

  @GrpcMethod('Accounts', 'ListAccountKeys')
  async listKeys(r: Req, metadata: Metadata) {
    const requester = await this.caller.requester(metadata);
    return this.accounts.listKeys(r.id ?? '', { requester });
  }

  @GrpcMethod('Accounts', 'RevokeAccountKey')
  revokeKey(r: Req, metadata: Metadata) {
    return this.caller.command(metadata, 'RevokeAccountKey', r, async (meta) => {
      const exchange = new ControllerExchange(meta);
      await this.accounts.revokeKey(r.accountId ?? '', r.keyId ?? '', exchange.request, exchange.reply);
      return { position: exchange.position };
    });
  }

  @GrpcMethod('Accounts', 'ListAccountNumbers')
  async numbers(r: Req, metadata: Metadata) {
    const requester = await this.caller.requester(metadata);
    const dto = this.caller.validated(AccountNumbersDto, given({ state: r.state }));
    const page = await this.accounts.numbersOf(r.accountId ?? '', dto, { requester, id: randomUUID() });
    return numberPage(page);
  }
}
