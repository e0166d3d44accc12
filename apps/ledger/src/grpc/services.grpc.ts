import { Controller, UseFilters, UseInterceptors } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { GrpcMethod } from '@nestjs/microservices';
import type { Metadata } from '@grpc/grpc-js';
import { Public } from '../core/entry-decorators';
import { ListServicesDto, ListServicesQuery } from '../services/list-services/list-services.http';
import { RegisterServiceCommand, RegisterServiceDto } from '../services/register-service/register-service';
import { RemoveServiceCommand } from '../services/remove-service/remove-service';
import { ServiceResource } from '../services/service-resource';
import { GrpcCaller } from './grpc-caller';
import { TenantViewInterceptor } from './tenant-view.interceptor';
import { GrpcErrorFilter } from './grpc-error.filter';
import { given } from './number-message';

interface ServiceRequest { accountId?: string; type?: string; serviceId?: string; name?: string; numbers?: string[] }
interface ListServicesRequest { accountId?: string; type?: string; limit?: number; cursor?: string; minPosition?: string }

/** `numbers.ledger.v1.Services`: the service registry's use cases on the CommandBus / QueryBus, as over HTTP. */
@Controller()
@Public() // the HTTP AuthGuard does not apply: GrpcCaller reads the key from the call metadata
@UseFilters(GrpcErrorFilter)
@UseInterceptors(TenantViewInterceptor)
export class ServicesGrpcController {
  constructor(private readonly caller: GrpcCaller, private readonly commands: CommandBus, private readonly queries: QueryBus) {}

  @GrpcMethod('Services', 'PutService')
  put(r: ServiceRequest, metadata: Metadata) {
    return this.caller.command(metadata, 'PutService', r, async (ctx) => {
      const dto = this.caller.validated(RegisterServiceDto, given({ name: r.name, numbers: r.numbers ?? [] }));
      const { answer, position } = await this.commands.execute(new RegisterServiceCommand(r.accountId ?? '', r.type ?? '', r.serviceId ?? '', dto, ctx));
      return { ...serviceMessage(answer), position };
    });
  }

  @GrpcMethod('Services', 'DeleteService')
  remove(r: ServiceRequest, metadata: Metadata) {
    return this.caller.command(metadata, 'DeleteService', r, async (ctx) => {
      const position = await this.commands.execute(new RemoveServiceCommand(r.accountId ?? '', r.type ?? '', r.serviceId ?? '', ctx));
      return { position };
    });
  }

  @GrpcMethod('Services', 'ListServices')
  async list(r: ListServicesRequest, metadata: Metadata) {
    const requester = await this.caller.requester(metadata);
    const dto = this.caller.validated(ListServicesDto, given({ type: r.type, limit: r.limit, cursor: r.cursor, minPosition: r.minPosition }));
    const page = await this.queries.execute(new ListServicesQuery(r.accountId ?? '', dto, requester));
    return { data: page.data.map(serviceMessage), nextCursor: page.nextCursor };
  }
}

/** The HTTP resource calls the service's id `id`; the proto `service_id` (as in ServiceRef). */
function serviceMessage({ id, ...rest }: ServiceResource) {
  return { ...rest, serviceId: id };
}
