import { actsFor } from '../accounts/account-access';
import { Readable } from 'node:stream';
import {
  BeforeApplicationShutdown, Body, Inject, Controller, Get, HttpCode, Injectable, OnApplicationBootstrap, OnModuleInit, Param, PayloadTooLargeException, Post,
  Query, Req, Res, StreamableFile,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { ApiBearerAuth, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { LedgerError } from '@ledger/domain/errors';
import { Requester } from '@ledger/domain/types';
import { Projector } from '@ledger/projections/projector';
import { TASK_ACTIONS } from '@ledger/domain/task';
import { AccountTree } from '../accounts/account-tree';
import { sendPosition } from '../core/position';
import type { LedgerSettings } from '../core/ledger-settings';
import { SETTINGS } from '../core/tokens';
import { TaskRow } from '@ledger/projections/tasks/queries';
import { BulkTasks } from './bulk-tasks';
import { UploadTooLargeError } from './task-storage';

export class SubmitTaskDto {
  @ApiProperty({ enum: [...TASK_ACTIONS], example: 'import' })
  @IsIn(TASK_ACTIONS) action!: string;
  @ApiPropertyOptional({ enum: ['true', 'false', '1', '0'], description: 'Check the CSV without changing anything.' })
  @IsOptional() @IsIn(['true', 'false', '1', '0']) dryRun?: string;
}

/** What the content-type parser hands over: the upload as a stream, never buffered. */
interface CsvUpload {
  stream: Readable;
}

const CSV_TYPES = ['text/csv', 'application/csv'];

/** Bulk tasks over HTTP (API.md "Bulk tasks"). */
@ApiTags('tasks')
@ApiBearerAuth()
@Controller('v1/tasks')
export class TasksController implements OnModuleInit {
  constructor(
    private readonly tasks: BulkTasks,
    private readonly accounts: AccountTree,
    private readonly projector: Projector,
    private readonly adapter: HttpAdapterHost,
    @Inject(SETTINGS) private readonly settings: LedgerSettings,
  ) {}

  private get uploadLimit(): number {
    return this.settings.taskUploadLimitBytes;
  }

  onModuleInit(): void {
    const fastify = this.adapter.httpAdapter?.getInstance?.();
    if (!fastify?.addContentTypeParser) return; // not an HTTP application (e.g. the gRPC server)
    for (const type of CSV_TYPES) {
      if (fastify.hasContentTypeParser(type)) continue;
      // The idempotency interceptor hashes the body: the upload stands for itself by name only.
      fastify.addContentTypeParser(type, (req: { headers: Record<string, string | undefined> }, payload: Readable, done: (err: Error | null, body?: unknown) => void) => {
        // A declared length over the limit is refused before a byte is read; otherwise the stored upload counts.
        if (Number(req.headers['content-length'] ?? 0) > this.uploadLimit) return done(tooLarge(this.uploadLimit));
        done(null, { stream: payload, toJSON: () => 'csv-upload' });
      });
    }
  }

  /** `text/csv` body (import, assign_to, reserve, release, delete) or none (list, dump): 202 `{id, status}`. */
  @Post()
  @HttpCode(202)
  async submit(@Query() q: SubmitTaskDto, @Body() body: unknown, @Req() req: any, @Res({ passthrough: true }) reply: any) {
    const upload = (body as CsvUpload | undefined)?.stream;
    if (body !== undefined && !upload && !isEmpty(body)) {
      throw new LedgerError('validation_failed', 'send the rows as a text/csv body');
    }
    const dryRun = q.dryRun === 'true' || q.dryRun === '1';
    const { state, position } = await this.tasks.submit(q.action, req.requester, upload ?? null, dryRun, this.uploadLimit).catch((err) => {
      if (!(err instanceof UploadTooLargeError)) throw err;
      reply.header('connection', 'close'); // the rest of the upload is not read
      throw new PayloadTooLargeException(err.message);
    });
    this.tasks.enqueue(state.id);
    sendPosition(reply, position, this.projector);
    reply.header('location', `/v1/tasks/${state.id}`);
    return { id: state.id, action: state.action, status: state.status, dryRun: state.dryRun, total: state.total };
  }

  @Get(':id')
  async get(@Param('id') id: string, @Req() req: any) {
    return present(await this.readable(id, req.requester));
  }

  /** The input rows plus `result` and `error`, as far as the task has got. */
  @Get(':id/output')
  async output(@Param('id') id: string, @Req() req: any) {
    const task = await this.readable(id, req.requester);
    const bytes = Number(task.output_bytes);
    const stream = this.tasks.storage.output(id, bytes);
    return new StreamableFile(stream, { type: 'text/csv; charset=utf-8', disposition: `attachment; filename="task-${id}.csv"` });
  }

  private async readable(id: string, requester: Requester): Promise<TaskRow> {
    const task = await this.tasks.find(id);
    if (!task) throw new LedgerError('not_found', `no task ${id}`);
    if (!actsFor(requester, this.accounts, task.requester_id)) {
      throw new LedgerError('unauthorized', `task ${id} belongs to another account`);
    }
    return task;
  }
}

/** Runs queued tasks in the background and resumes interrupted ones when the service starts. */
@Injectable()
export class TaskWorkerLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(private readonly tasks: BulkTasks) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.tasks.resumeOpen();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.tasks.stop();
  }
}

/** Answered by the problem filter as 413 payload_too_large. */
function tooLarge(limit: number): Error {
  return Object.assign(new Error(`the CSV is larger than the task upload limit of ${limit} bytes`), { code: 'FST_ERR_CTP_BODY_TOO_LARGE', statusCode: 413 });
}

function isEmpty(body: unknown): boolean {
  return body === null || body === '' || (typeof body === 'object' && Object.keys(body as object).length === 0);
}

const iso = (v: Date | string | null) => (v == null ? null : new Date(v).toISOString());

export function present(t: TaskRow) {
  return {
    id: t.id,
    action: t.action,
    status: t.status,
    dryRun: t.dry_run,
    requester: t.requester_id,
    total: Number(t.total),
    processed: Number(t.rows_done),
    succeeded: Number(t.succeeded),
    failed: Number(t.failed),
    submittedAt: iso(t.submitted_at),
    startedAt: iso(t.started_at),
    finishedAt: iso(t.finished_at),
    error: t.error ?? null,
  };
}
