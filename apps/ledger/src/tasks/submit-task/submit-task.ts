import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { Readable } from 'node:stream';
import { TASK_ACTIONS, TaskState } from '@ledger/domain/task';
import { Inject } from '@nestjs/common';
import { Positioned } from '../../core/positioned';
import { RequestContext } from '../../core/request-context';
import type { LedgerSettings } from '../../core/ledger-settings';
import { SETTINGS } from '../../core/tokens';
import { BulkTasks } from '../bulk-tasks';

export class SubmitTaskDto {
  @ApiProperty({ enum: [...TASK_ACTIONS], example: 'import' })
  @IsIn(TASK_ACTIONS) action!: string;
  @ApiPropertyOptional({ enum: ['true', 'false', '1', '0'], description: 'Check the CSV without changing anything.' })
  @IsOptional() @IsIn(['true', 'false', '1', '0']) dryRun?: string;
}

export type SubmittedTask = Pick<TaskState, 'id' | 'action' | 'status' | 'dryRun' | 'total'>;

/**
 * Records a bulk task (its CSV stored first) and queues it. An upload over the limit is
 * refused with UploadTooLargeError, which each entry answers as 413.
 */
export class SubmitTaskCommand extends Command<Positioned<SubmittedTask>> {
  constructor(readonly input: SubmitTaskDto, readonly upload: Readable | null, readonly ctx: RequestContext) {
    super();
  }
}

@CommandHandler(SubmitTaskCommand)
export class SubmitTaskHandler implements ICommandHandler<SubmitTaskCommand, Positioned<SubmittedTask>> {
  constructor(private readonly tasks: BulkTasks, @Inject(SETTINGS) private readonly settings: LedgerSettings) {}

  async execute({ input, upload, ctx }: SubmitTaskCommand): Promise<Positioned<SubmittedTask>> {
    const dryRun = input.dryRun === 'true' || input.dryRun === '1';
    const { state, position } = await this.tasks.submit(input.action, ctx.requester, upload, dryRun, this.settings.taskUploadLimitBytes);
    this.tasks.enqueue(state.id);
    return { answer: { id: state.id, action: state.action, status: state.status, dryRun: state.dryRun, total: state.total }, position };
  }
}
