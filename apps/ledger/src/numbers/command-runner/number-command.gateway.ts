import { Injectable } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { CommandBus } from '@nestjs/cqrs';
import { normalizeNumber } from '@ledger/domain';
import { NumberCommand, Requester } from '@ledger/domain/types';
import { LogPosition } from '@ledger/event-store/port';
import { Projector } from '@ledger/projections/projector';
import { RequestContext } from '../../core/request-context';
import { AccountTree } from '../../accounts/account-tree';
import { NumberManagerConfigStore } from '../../config/number-manager-config.store';
import { sendPosition } from '../../core/position';
import { presentNumber } from '../number-view';
import { ExecuteNumberCommand } from './execute-number-command';
import { CommandOutcome } from './number-command-runner';

/** What HTTP (and gRPC) entries share: normalize, dispatch on the CommandBus, present the result. */
@Injectable()
export class NumberCommandGateway {
  constructor(
    private readonly bus: CommandBus,
    private readonly accounts: AccountTree,
    private readonly config: NumberManagerConfigStore,
    private readonly projector: Projector,
  ) {}

  execute(rawNumber: string, command: NumberCommand, meta: RequestContext): Promise<CommandOutcome> {
    return this.bus.execute(new ExecuteNumberCommand(normalizeNumber(rawNumber), command, meta));
  }

  /** Runs the command for an HTTP request and answers with the number resource. */
  async forRequest(rawNumber: string, command: NumberCommand, ctx: RequestContext, reply: FastifyReply): Promise<Record<string, unknown>> {
    const outcome = await this.execute(rawNumber, command, ctx);
    sendPosition(reply, outcome.position, this.projector);
    // Ordered, not yet confirmed by the carrier: accepted, not done.
    if (outcome.events.some((e) => e.type === 'NumberOrderPending.v1')) reply.code(202);
    return this.present(outcome, ctx.requester);
  }

  /** The position a command reached: the projector's checkpoint when it appended nothing. */
  reached(outcome: CommandOutcome): LogPosition {
    return outcome.position ?? this.projector.checkpoint;
  }

  async present(outcome: CommandOutcome, requester: Requester): Promise<Record<string, unknown>> {
    const ctx = { now: new Date(), requester, accounts: this.accounts, config: await this.config.config() };
    return presentNumber(outcome.record, ctx);
  }
}
