import { Readable } from 'node:stream';
import {
  BeforeApplicationShutdown, Body, Controller, Get, HttpCode, Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleInit, Param, PayloadTooLargeException, Post,
  Query, Res, StreamableFile,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { LedgerError } from '@ledger/domain/errors';
import { Requester } from '@ledger/domain/types';
import { Projector } from '@ledger/projections/projector';
import { RequestContext } from '../core/request-context';
import { Caller } from '../core/entry-decorators';
import { resumeWhenCaughtUp, sendPosition } from '../core/position';
import { Context } from '../core/request-context.decorator';
import type { LedgerSettings } from '../core/ledger-settings';
import { SETTINGS } from '../core/tokens';
import { BulkTasks } from './bulk-tasks';
import { GetTaskOutputQuery, GetTaskQuery } from './read-task/read-task';
import { SubmitTaskCommand, SubmitTaskDto } from './submit-task/submit-task';
import { UploadTooLargeError } from './task-storage';

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
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly adapter: HttpAdapterHost,
    @Inject(SETTINGS) private readonly settings: LedgerSettings,
  ) {}

  private get uploadLimit(): number {
    return this.settings.taskUploadLimitBytes;
  }

  onModuleInit(): void {
    const fastify: FastifyInstance | undefined = this.adapter.httpAdapter?.getInstance?.<FastifyInstance>();
    if (!fastify?.addContentTypeParser) return; // not an HTTP application (e.g. the gRPC server)
    for (const type of CSV_TYPES) {
      if (fastify.hasContentTypeParser(type)) continue;
      // The idempotency interceptor hashes the body: the upload stands for itself by name only.
      fastify.addContentTypeParser(type, (req, payload, done) => {
        // A declared length over the limit is refused before a byte is read; otherwise the stored upload counts.
        if (Number(req.headers['content-length'] ?? 0) > this.uploadLimit) return done(tooLarge(this.uploadLimit));
        done(null, { stream: payload, toJSON: () => 'csv-upload' });
      });
    }
  }

  /** `text/csv` body (import, assign_to, reserve, release, delete) or none (list, dump): 202 `{id, status}`. */
  @Post()
  @HttpCode(202)
  async submit(@Query() q: SubmitTaskDto, @Body() body: unknown, @Context() ctx: RequestContext, @Res({ passthrough: true }) reply: FastifyReply) {
    const upload = (body as CsvUpload | undefined)?.stream;
    if (body !== undefined && !upload && !isEmpty(body)) {
      throw new LedgerError('validation_failed', 'send the rows as a text/csv body');
    }
    const { answer, position } = await this.commands.execute(new SubmitTaskCommand(q, upload ?? null, ctx)).catch((err: unknown) => {
      if (err instanceof UploadTooLargeError) reply.header('connection', 'close'); // the rest of the upload is not read
      throw payloadTooLarge(err);
    });
    sendPosition(reply, position);
    reply.header('location', `/v1/tasks/${answer.id}`);
    return answer;
  }

  @Get(':id')
  get(@Param('id') id: string, @Caller() requester: Requester) {
    return this.queries.execute(new GetTaskQuery(id, requester));
  }

  /** The input rows plus `result` and `error`, as far as the task has got. */
  @Get(':id/output')
  async output(@Param('id') id: string, @Caller() requester: Requester) {
    const stream = await this.queries.execute(new GetTaskOutputQuery(id, requester));
    return new StreamableFile(stream, { type: 'text/csv; charset=utf-8', disposition: `attachment; filename="task-${id}.csv"` });
  }
}

/** Runs queued tasks in the background and resumes interrupted ones when the service starts. */
@Injectable()
export class TaskWorkerLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger('tasks');

  constructor(private readonly tasks: BulkTasks, private readonly projector: Projector) {}

  /** Once the tasks read model holds the whole log: the last instance may have stopped before applying its tasks' last events. */
  onApplicationBootstrap(): void {
    void resumeWhenCaughtUp(this.projector, ['tasks'], () => this.tasks.resumeOpen()).catch((err: Error) => this.log.error(`tasks not resumed: ${err.message}`));
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.tasks.stop();
  }
}

/** An upload over the limit as 413 (the CSV stops being read); any other error as it is. */
export function payloadTooLarge(err: unknown): unknown {
  return err instanceof UploadTooLargeError ? new PayloadTooLargeException(err.message) : err;
}

/** Answered by the problem filter as 413 payload_too_large. */
function tooLarge(limit: number): Error {
  return Object.assign(new Error(`the CSV is larger than the task upload limit of ${limit} bytes`), { code: 'FST_ERR_CTP_BODY_TOO_LARGE', statusCode: 413 });
}

function isEmpty(body: unknown): boolean {
  return body === null || body === '' || (typeof body === 'object' && Object.keys(body).length === 0);
}
