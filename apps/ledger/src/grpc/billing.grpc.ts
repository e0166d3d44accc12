import { Controller, OnModuleInit, UseFilters, UseInterceptors } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { GrpcMethod } from '@nestjs/microservices';
import type { Metadata } from '@grpc/grpc-js';
import { BillingController, NumberDaysDto, QuantitiesDto } from '../billing/billing.http';
import { Public } from '../core/entry-decorators';
import { GrpcCaller } from './grpc-caller';
import { TenantViewInterceptor } from './tenant-view.interceptor';
import { GrpcErrorFilter } from './grpc-error.filter';
import { given } from './number-message';

type Req = Record<string, any>;

/** `numbers.ledger.v1.Billing`: the HTTP billing use case (QueryBus BillingQuery), answered in proto field names. */
@Controller()
@Public() // the HTTP AuthGuard does not apply: GrpcCaller reads the key from the call metadata
@UseFilters(GrpcErrorFilter)
@UseInterceptors(TenantViewInterceptor)
export class BillingGrpcController implements OnModuleInit {
  private billing!: BillingController;

  constructor(private readonly caller: GrpcCaller, private readonly modules: ModuleRef) {}

  onModuleInit(): void {
    this.billing = this.modules.get(BillingController, { strict: false });
  }

  @GrpcMethod('Billing', 'GetQuantities')
  async quantities(r: Req, metadata: Metadata) {
    const requester = await this.caller.requester(metadata);
    const dto = this.caller.validated(QuantitiesDto, given({ asOf: r.asOf, cascade: r.cascade, minPosition: r.minPosition }));
    return groups(await this.billing.quantities(r.accountId ?? '', dto, { requester }));
  }

  @GrpcMethod('Billing', 'GetNumberDays')
  async numberDays(r: Req, metadata: Metadata) {
    const requester = await this.caller.requester(metadata);
    const dto = this.caller.validated(NumberDaysDto, given({ from: r.from, to: r.to, cascade: r.cascade, minPosition: r.minPosition }));
    return groups(await this.billing.numberDays(r.accountId ?? '', dto, { requester }));
  }
}

/** The HTTP answer keeps the billing item names (`phone_numbers`); proto-loader wants camelCase fields. */
function groups({ phone_numbers, number_services, number_carriers, ...rest }: Record<string, any>) {
  return { ...rest, phoneNumbers: phone_numbers, numberServices: number_services, numberCarriers: number_carriers };
}
