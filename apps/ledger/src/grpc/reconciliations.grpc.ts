import { Controller, UseFilters } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { GrpcMethod } from '@nestjs/microservices';
import type { Metadata } from '@grpc/grpc-js';
import type { RunView } from '../carriers/reconciliation/carrier-reconciliations';
import { GetReconciliationQuery } from '../carriers/reconciliation/read-reconciliations';
import { ReconcileCarriersCommand, ReconcileCarriersDto } from '../carriers/reconciliation/reconcile-carriers';
import { Public } from '../core/entry-decorators';
import { GrpcCaller } from './grpc-caller';
import { GrpcErrorFilter } from './grpc-error.filter';
import { given } from './number-message';
import { toStruct } from './struct';

interface ReconcileRequest { accountId?: string; module?: string; fix?: string[]; background?: boolean }
interface GetRunRequest { id?: string }

/** `numbers.ledger.v1.CarrierReconciliations`: the reconciliation use cases on the CommandBus / QueryBus, as over HTTP. */
@Controller()
@Public() // the HTTP AuthGuard does not apply: GrpcCaller reads the key from the call metadata
@UseFilters(GrpcErrorFilter)
export class ReconciliationsGrpcController {
  constructor(private readonly caller: GrpcCaller, private readonly commands: CommandBus, private readonly queries: QueryBus) {}

  @GrpcMethod('CarrierReconciliations', 'ReconcileCarriers')
  reconcile(r: ReconcileRequest, metadata: Metadata) {
    return this.caller.command(metadata, 'ReconcileCarriers', r, async (ctx) => {
      const dto = this.caller.validated(ReconcileCarriersDto, given({
        accountId: r.accountId, module: r.module, fix: r.fix?.length ? r.fix : undefined, background: r.background || undefined,
      }));
      const { answer, position } = await this.commands.execute(new ReconcileCarriersCommand(dto, ctx));
      return { runs: answer.map(runMessage), position };
    });
  }

  @GrpcMethod('CarrierReconciliations', 'GetCarrierReconciliation')
  async get(r: GetRunRequest, metadata: Metadata) {
    const requester = await this.caller.requester(metadata);
    return runMessage(await this.queries.execute(new GetReconciliationQuery(r.id ?? '', requester)));
  }
}

function runMessage(run: RunView) {
  const { id, module, scope, status, startedAt, ...rest } = run;
  const counts = 'counts' in run ? run.counts : {};
  const completedAt = 'completedAt' in run ? run.completedAt : undefined;
  const { counts: _c, completedAt: _d, ...report } = rest as Record<string, unknown>;
  return { id, module, scope, status, counts, report: toStruct(report), startedAt, completedAt };
}
