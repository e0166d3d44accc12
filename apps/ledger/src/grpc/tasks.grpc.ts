import { Controller, UseFilters, UseInterceptors } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { GrpcMethod } from '@nestjs/microservices';
import type { Metadata } from '@grpc/grpc-js';
import { Readable } from 'node:stream';
import { Public } from '../core/entry-decorators';
import { GetTaskOutputQuery, GetTaskQuery } from '../tasks/read-task/read-task';
import { SubmitTaskCommand, SubmitTaskDto } from '../tasks/submit-task/submit-task';
import { payloadTooLarge } from '../tasks/tasks.http';
import { GrpcCaller } from './grpc-caller';
import { TenantViewInterceptor } from './tenant-view.interceptor';
import { GrpcErrorFilter } from './grpc-error.filter';
import { given } from './number-message';

interface StartTaskRequest { action?: string; dryRun?: boolean; csv?: string }
interface TaskRequest { id?: string; minPosition?: string }

/**
 * `numbers.ledger.v1.Tasks`: the bulk-task use cases on the CommandBus / QueryBus, as over
 * HTTP; the CSV travels in the message instead of a text/csv body (so within gRPC's 4 MB message limit).
 */
@Controller()
@Public() // the HTTP AuthGuard does not apply: GrpcCaller reads the key from the call metadata
@UseFilters(GrpcErrorFilter)
@UseInterceptors(TenantViewInterceptor)
export class TasksGrpcController {
  constructor(private readonly caller: GrpcCaller, private readonly commands: CommandBus, private readonly queries: QueryBus) {}

  @GrpcMethod('Tasks', 'StartTask')
  start(r: StartTaskRequest, metadata: Metadata) {
    return this.caller.command(metadata, 'StartTask', r, async (ctx) => {
      const dto = this.caller.validated(SubmitTaskDto, given({ action: r.action, dryRun: r.dryRun === undefined ? undefined : String(r.dryRun) }));
      const upload = r.csv ? Readable.from([Buffer.from(r.csv, 'utf8')]) : null;
      const { answer, position } = await this.commands.execute(new SubmitTaskCommand(dto, upload, ctx)).catch((err: unknown) => {
        throw payloadTooLarge(err);
      });
      return { ...answer, position };
    });
  }

  @GrpcMethod('Tasks', 'GetTask')
  async get(r: TaskRequest, metadata: Metadata) {
    const requester = await this.caller.requester(metadata);
    return this.queries.execute(new GetTaskQuery(r.id ?? '', requester, r.minPosition));
  }

  @GrpcMethod('Tasks', 'GetTaskOutput')
  async output(r: TaskRequest, metadata: Metadata) {
    const requester = await this.caller.requester(metadata);
    return { csv: await text(await this.queries.execute(new GetTaskOutputQuery(r.id ?? '', requester, r.minPosition))) };
  }
}

async function text(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
  return Buffer.concat(chunks).toString('utf8');
}
