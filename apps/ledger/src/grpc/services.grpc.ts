import { Controller, OnModuleInit, UseFilters, UseInterceptors } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { QueryBus } from '@nestjs/cqrs';
import { GrpcMethod } from '@nestjs/microservices';
import type { Metadata } from '@grpc/grpc-js';
import { Public } from '../core/entry-decorators';
import { ListServicesDto, ListServicesQuery } from '../services/list-services/list-services.http';
import { RegisterServiceController, RegisterServiceDto } from '../services/register-service/register-service.http';
import { ControllerExchange, GrpcCaller } from './grpc-caller';
import { TenantViewInterceptor } from './tenant-view.interceptor';
import { GrpcErrorFilter } from './grpc-error.filter';
import { given } from './number-message';

type Req = Record<string, any>;

/**
 * `numbers.ledger.v1.Services`: the service registry's HTTP use cases (the register
 * controller, the ListServicesQuery handler) run as they are.
 */
@Controller()
@Public() // the HTTP AuthGuard does not apply: GrpcCaller reads the key from the call metadata
@UseFilters(GrpcErrorFilter)
@UseInterceptors(TenantViewInterceptor)
export class ServicesGrpcController implements OnModuleInit {
  private registry!: RegisterServiceController;

  constructor(private readonly caller: GrpcCaller, private readonly queries: QueryBus, private readonly modules: ModuleRef) {}

  onModuleInit(): void {
    this.registry = this.modules.get(RegisterServiceController, { strict: false });
  }

  @GrpcMethod('Services', 'PutService')
  put(r: Req, metadata: Metadata) {
    return this.caller.command(metadata, 'PutService', r, async (meta) => {
      const dto = this.caller.validated(RegisterServiceDto, given({ name: r.name, numbers: r.numbers ?? [] }));
      const exchange = new ControllerExchange(meta);
      const service = await this.registry.register(r.accountId ?? '', r.type ?? '', r.serviceId ?? '', dto, exchange.request, exchange.reply);
      return { ...serviceMessage(service), position: exchange.position };
    });
  }

  @GrpcMethod('Services', 'DeleteService')
  remove(r: Req, metadata: Metadata) {
    return this.caller.command(metadata, 'DeleteService', r, async (meta) => {
      const exchange = new ControllerExchange(meta);
      await this.registry.remove(r.accountId ?? '', r.type ?? '', r.serviceId ?? '', exchange.request, exchange.reply);
      return { position: exchange.position };
    });
  }

  @GrpcMethod('Services', 'ListServices')
  async list(r: Req, metadata: Metadata) {
    const requester = await this.caller.requester(metadata);
    const dto = this.caller.validated(ListServicesDto, given({ type: r.type, limit: r.limit, cursor: r.cursor, minPosition: r.minPosition }));
    const page: { data: ServiceResource[]; nextCursor: string | null } = await this.queries.execute(new ListServicesQuery(r.accountId ?? '', dto, requester));
    return { data: page.data.map(serviceMessage), nextCursor: page.nextCursor };
  }
}

interface ServiceResource { accountId: string; type: string; id: string; name: string | null; numbers: string[]; updatedAt: string | null }

/** The HTTP resource calls the service's id `id`; the proto `service_id` (as in ServiceRef). */
function serviceMessage({ id, ...rest }: ServiceResource) {
  return { ...rest, serviceId: id };
}
