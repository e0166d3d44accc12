import { Controller, OnModuleInit, UseFilters } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { GrpcMethod } from '@nestjs/microservices';
import type { Metadata } from '@grpc/grpc-js';
import { ReconcileCarriersDto, ReconciliationsController } from '../carriers/reconciliation/reconciliations.http';
import type { RunView } from '../carriers/reconciliation/carrier-reconciliations';
import { Public } from '../core/entry-decorators';
import { ControllerExchange, GrpcCaller } from './grpc-caller';
import { GrpcErrorFilter } from './grpc-error.filter';
import { given } from './number-message';
import { toStruct } from './struct';

type Req = Record<string, any>;

/** `numbers.ledger.v1.CarrierReconciliations`: the HTTP use case (who may, which carrier accounts, the reports) as is. */
@Controller()
@Public() // the HTTP AuthGuard does not apply: GrpcCaller reads the key from the call metadata
@UseFilters(GrpcErrorFilter)
export class ReconciliationsGrpcController implements OnModuleInit {
  private http!: ReconciliationsController;

  constructor(private readonly caller: GrpcCaller, private readonly modules: ModuleRef) {}

  onModuleInit(): void {
    this.http = this.modules.get(ReconciliationsController, { strict: false });
  }

  @GrpcMethod('CarrierReconciliations', 'ReconcileCarriers')
  reconcile(r: Req, metadata: Metadata) {
    return this.caller.command(metadata, 'ReconcileCarriers', r, async (meta) => {
      const dto = this.caller.validated(ReconcileCarriersDto, given({
        accountId: r.accountId, module: r.module, fix: r.fix?.length ? r.fix : undefined, background: r.background || undefined,
      }));
      const exchange = new ControllerExchange(meta);
      const answer = await this.http.run(dto, exchange.request, exchange.reply);
      return { runs: answer.data.map(runMessage), position: exchange.position ?? '' };
    });
  }

  @GrpcMethod('CarrierReconciliations', 'GetCarrierReconciliation')
  async get(r: Req, metadata: Metadata) {
    const requester = await this.caller.requester(metadata);
    return runMessage(await this.http.get(r.id ?? '', { requester }));
  }
}

function runMessage(run: RunView) {
  const { id, module, scope, status, startedAt, ...rest } = run;
  const counts = 'counts' in run ? run.counts : {};
  const completedAt = 'completedAt' in run ? run.completedAt : undefined;
  const { counts: _c, completedAt: _d, ...report } = rest as Record<string, unknown>;
  return { id, module, scope, status, counts, report: toStruct(report), startedAt, completedAt };
}
