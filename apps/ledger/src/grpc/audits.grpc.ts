import { Controller, OnModuleInit, UseFilters, UseInterceptors } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { GrpcMethod } from '@nestjs/microservices';
import type { Metadata } from '@grpc/grpc-js';
import { AuditsController, GetAuditDto, StartAuditDto } from '../audits/audits.http';
import { AuditView } from '../audits/audit-view';
import { Public } from '../core/entry-decorators';
import { ControllerExchange, GrpcCaller } from './grpc-caller';
import { TenantViewInterceptor } from './tenant-view.interceptor';
import { GrpcErrorFilter } from './grpc-error.filter';
import { given } from './number-message';
import { toStruct } from './struct';

type Req = Record<string, any>;

/** `numbers.ledger.v1.Audits`: the HTTP audit use case (who may audit, AuditRunner, the audit read model) run as is. */
@Controller()
@Public() // the HTTP AuthGuard does not apply: GrpcCaller reads the key from the call metadata
@UseFilters(GrpcErrorFilter)
@UseInterceptors(TenantViewInterceptor)
export class AuditsGrpcController implements OnModuleInit {
  private audits!: AuditsController;

  constructor(private readonly caller: GrpcCaller, private readonly modules: ModuleRef) {}

  onModuleInit(): void {
    this.audits = this.modules.get(AuditsController, { strict: false });
  }

  @GrpcMethod('Audits', 'StartAudit')
  start(r: Req, metadata: Metadata) {
    return this.caller.command(metadata, 'StartAudit', r, async (meta) => {
      const dto = this.caller.validated(StartAuditDto, given({ accountId: r.accountId, level: r.level, siteIds: r.siteIds?.length ? r.siteIds : undefined }));
      const exchange = new ControllerExchange(meta);
      const view = await this.audits.start(dto, exchange.request, exchange.reply);
      return { ...auditMessage(view), position: exchange.position };
    });
  }

  @GrpcMethod('Audits', 'GetAudit')
  async get(r: Req, metadata: Metadata) {
    const requester = await this.caller.requester(metadata);
    const dto = this.caller.validated(GetAuditDto, given({ limit: r.limit, minPosition: r.minPosition }));
    return auditMessage(await this.audits.get(r.id ?? '', dto, { requester }));
  }
}

function auditMessage(view: AuditView) {
  return { ...view, report: toStruct(view.report as unknown as Record<string, unknown>) };
}
