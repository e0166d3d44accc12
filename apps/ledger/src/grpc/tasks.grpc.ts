import { Controller, OnModuleInit, StreamableFile, UseFilters, UseInterceptors } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { GrpcMethod } from '@nestjs/microservices';
import type { Metadata } from '@grpc/grpc-js';
import { Readable } from 'node:stream';
import { Projector } from '@ledger/projections/projector';
import { Public } from '../core/entry-decorators';
import { awaitMinPosition } from '../core/position';
import { SubmitTaskDto, TasksController } from '../tasks/tasks.http';
import { ControllerExchange, GrpcCaller } from './grpc-caller';
import { TenantViewInterceptor } from './tenant-view.interceptor';
import { GrpcErrorFilter } from './grpc-error.filter';
import { given } from './number-message';

type Req = Record<string, any>;

/**
 * `numbers.ledger.v1.Tasks`: the HTTP bulk-task use case run as is; the CSV travels
 * in the message instead of a text/csv body (so within gRPC's 4 MB message limit).
 */
@Controller()
@Public() // the HTTP AuthGuard does not apply: GrpcCaller reads the key from the call metadata
@UseFilters(GrpcErrorFilter)
@UseInterceptors(TenantViewInterceptor)
export class TasksGrpcController implements OnModuleInit {
  private tasks!: TasksController;

  constructor(private readonly caller: GrpcCaller, private readonly projector: Projector, private readonly modules: ModuleRef) {}

  onModuleInit(): void {
    this.tasks = this.modules.get(TasksController, { strict: false });
  }

  @GrpcMethod('Tasks', 'StartTask')
  start(r: Req, metadata: Metadata) {
    return this.caller.command(metadata, 'StartTask', r, async (meta) => {
      const dto = this.caller.validated(SubmitTaskDto, given({ action: r.action, dryRun: r.dryRun === undefined ? undefined : String(r.dryRun) }));
      const upload = r.csv ? { stream: Readable.from([Buffer.from(r.csv as string, 'utf8')]) } : undefined;
      const exchange = new ControllerExchange(meta);
      const task = await this.tasks.submit(dto, upload, exchange.request, exchange.reply);
      return { ...task, position: exchange.position };
    });
  }

  @GrpcMethod('Tasks', 'GetTask')
  async get(r: Req, metadata: Metadata) {
    const requester = await this.caller.requester(metadata);
    await awaitMinPosition(this.projector, r.minPosition, ['tasks']);
    return this.tasks.get(r.id ?? '', { requester });
  }

  @GrpcMethod('Tasks', 'GetTaskOutput')
  async output(r: Req, metadata: Metadata) {
    const requester = await this.caller.requester(metadata);
    await awaitMinPosition(this.projector, r.minPosition, ['tasks']);
    return { csv: await text(await this.tasks.output(r.id ?? '', { requester })) };
  }
}

async function text(file: StreamableFile): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of file.getStream()) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}
