import { Injectable } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { Readable } from 'node:stream';
import { LedgerError } from '@ledger/domain/errors';
import { Requester } from '@ledger/domain/types';
import { Projector } from '@ledger/projections/projector';
import { actsFor } from '../../accounts/account-access';
import { AccountTree } from '../../accounts/account-tree';
import { awaitMinPosition } from '../../core/position';
import { TaskRow } from '@ledger/projections/tasks/queries';
import { BulkTasks } from '../bulk-tasks';
import { present, TaskResource } from '../task-resource';

/** A task of the caller's (or of an account below it); `minPosition` waits for the tasks read model. */
export class GetTaskQuery extends Query<TaskResource> {
  constructor(readonly id: string, readonly requester: Requester, readonly minPosition?: string) {
    super();
  }
}

/** The input rows plus `result` and `error`, as far as the task has got, as CSV. */
export class GetTaskOutputQuery extends Query<Readable> {
  constructor(readonly id: string, readonly requester: Requester, readonly minPosition?: string) {
    super();
  }
}

@Injectable() // its subclasses, the handlers, inherit its constructor's injected parameters
abstract class TaskReader {
  constructor(protected readonly tasks: BulkTasks, private readonly accounts: AccountTree, private readonly projector: Projector) {}

  protected async readable(id: string, requester: Requester, minPosition?: string): Promise<TaskRow> {
    await awaitMinPosition(this.projector, minPosition, ['tasks']);
    const task = await this.tasks.find(id);
    // Another account's task is no task of the caller's: the same 404 as for none (SPEC 12), as for audits.
    if (!task || !actsFor(requester, this.accounts, task.requester_id)) throw new LedgerError('not_found', `no task ${id}`);
    return task;
  }
}

@QueryHandler(GetTaskQuery)
export class GetTaskHandler extends TaskReader implements IQueryHandler<GetTaskQuery, TaskResource> {
  async execute({ id, requester, minPosition }: GetTaskQuery): Promise<TaskResource> {
    return present(await this.readable(id, requester, minPosition));
  }
}

@QueryHandler(GetTaskOutputQuery)
export class GetTaskOutputHandler extends TaskReader implements IQueryHandler<GetTaskOutputQuery, Readable> {
  async execute({ id, requester, minPosition }: GetTaskOutputQuery): Promise<Readable> {
    const task = await this.readable(id, requester, minPosition);
    return this.tasks.storage.output(id, Number(task.output_bytes));
  }
}
