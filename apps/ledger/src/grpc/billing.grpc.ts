import { Controller, UseFilters, UseInterceptors } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { GrpcMethod } from '@nestjs/microservices';
import type { Metadata } from '@grpc/grpc-js';
import { Quantities } from '../billing/billing-quantities';
import { GetNumberDaysQuery, NumberDaysDto } from '../billing/number-days/number-days';
import { GetQuantitiesQuery, QuantitiesDto } from '../billing/quantities/quantities';
import { Public } from '../core/entry-decorators';
import { GrpcCaller } from './grpc-caller';
import { TenantViewInterceptor } from './tenant-view.interceptor';
import { GrpcErrorFilter } from './grpc-error.filter';
import { given } from './number-message';

interface BillingRequest { accountId?: string; asOf?: string; from?: string; to?: string; cascade?: boolean; minPosition?: string }

/** `numbers.ledger.v1.Billing`: the billing queries on the QueryBus, as over HTTP, answered in proto field names. */
@Controller()
@Public() // the HTTP AuthGuard does not apply: GrpcCaller reads the key from the call metadata
@UseFilters(GrpcErrorFilter)
@UseInterceptors(TenantViewInterceptor)
export class BillingGrpcController {
  constructor(private readonly caller: GrpcCaller, private readonly queries: QueryBus) {}

  @GrpcMethod('Billing', 'GetQuantities')
  async quantities(r: BillingRequest, metadata: Metadata) {
    const requester = await this.caller.requester(metadata);
    const dto = this.caller.validated(QuantitiesDto, given({ asOf: r.asOf, cascade: r.cascade, minPosition: r.minPosition }));
    return groups(await this.queries.execute(new GetQuantitiesQuery(r.accountId ?? '', dto, requester)));
  }

  @GrpcMethod('Billing', 'GetNumberDays')
  async numberDays(r: BillingRequest, metadata: Metadata) {
    const requester = await this.caller.requester(metadata);
    const dto = this.caller.validated(NumberDaysDto, given({ from: r.from, to: r.to, cascade: r.cascade, minPosition: r.minPosition }));
    return groups(await this.queries.execute(new GetNumberDaysQuery(r.accountId ?? '', dto, requester)));
  }
}

/** The HTTP answer keeps the billing item names (`phone_numbers`); proto-loader wants camelCase fields. */
function groups<T extends Quantities>({ phone_numbers, number_services, number_carriers, ...rest }: T) {
  return { ...rest, phoneNumbers: phone_numbers, numberServices: number_services, numberCarriers: number_carriers };
}
