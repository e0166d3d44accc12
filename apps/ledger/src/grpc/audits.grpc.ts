import { Controller, UseFilters, UseInterceptors } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { GrpcMethod } from '@nestjs/microservices';
import type { Metadata } from '@grpc/grpc-js';
import { AuditView } from '../audits/audit-view';
import { GetAuditDto, GetAuditQuery } from '../audits/get-audit/get-audit';
import { StartAuditCommand, StartAuditDto } from '../audits/start-audit/start-audit';
import { Public } from '../core/entry-decorators';
import { GrpcCaller } from './grpc-caller';
import { TenantViewInterceptor } from './tenant-view.interceptor';
import { GrpcErrorFilter } from './grpc-error.filter';
import { given } from './number-message';
import { toStruct } from './struct';

interface StartAuditRequest { accountId?: string; level?: string; siteIds?: string[] }
interface GetAuditRequest { id?: string; limit?: number; minPosition?: string }

/** `numbers.ledger.v1.Audits`: the audit use cases on the CommandBus / QueryBus, as over HTTP. */
@Controller()
@Public() // the HTTP AuthGuard does not apply: GrpcCaller reads the key from the call metadata
@UseFilters(GrpcErrorFilter)
@UseInterceptors(TenantViewInterceptor)
export class AuditsGrpcController {
  constructor(private readonly caller: GrpcCaller, private readonly commands: CommandBus, private readonly queries: QueryBus) {}

  @GrpcMethod('Audits', 'StartAudit')
  start(r: StartAuditRequest, metadata: Metadata) {
    return this.caller.command(metadata, 'StartAudit', r, async (ctx) => {
      const dto = this.caller.validated(StartAuditDto, given({ accountId: r.accountId, level: r.level, siteIds: r.siteIds?.length ? r.siteIds : undefined }));
      const { answer, position } = await this.commands.execute(new StartAuditCommand(dto, ctx));
      return { ...auditMessage(answer.view), position };
    });
  }

  @GrpcMethod('Audits', 'GetAudit')
  async get(r: GetAuditRequest, metadata: Metadata) {
    const requester = await this.caller.requester(metadata);
    const dto = this.caller.validated(GetAuditDto, given({ limit: r.limit, minPosition: r.minPosition }));
    return auditMessage(await this.queries.execute(new GetAuditQuery(r.id ?? '', dto, requester)));
  }
}

function auditMessage(view: AuditView) {
  return { ...view, report: toStruct(view.report) };
}
