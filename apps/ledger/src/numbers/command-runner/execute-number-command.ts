import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { LedgerError } from '@ledger/domain/errors';
import { NumberCommand } from '@ledger/domain/types';
import { LedgerMetrics } from '../../core/ledger-metrics';
import { RequestContext } from '../../core/request-context';
import { CommandOutcome, NumberCommandRunner } from './number-command-runner';

/** The one command the CommandBus carries for numbers: a domain command on one number. */
export class ExecuteNumberCommand extends Command<CommandOutcome> {
  constructor(readonly number: string, readonly command: NumberCommand, readonly meta: RequestContext) {
    super();
  }
}

@CommandHandler(ExecuteNumberCommand)
export class ExecuteNumberCommandHandler implements ICommandHandler<ExecuteNumberCommand, CommandOutcome> {
  constructor(private readonly runner: NumberCommandRunner, private readonly metrics: LedgerMetrics) {}

  async execute({ number, command, meta }: ExecuteNumberCommand): Promise<CommandOutcome> {
    const stop = this.metrics.commandSeconds.startTimer({ type: command.type });
    try {
      const outcome = await this.runner.run(number, command, meta);
      this.metrics.commands.inc({ type: command.type, outcome: 'ok' });
      this.metrics.eventsAppended.inc(outcome.events.length);
      return outcome;
    } catch (err) {
      this.metrics.commands.inc({ type: command.type, outcome: err instanceof LedgerError ? err.code : 'error' });
      throw err;
    } finally {
      stop();
    }
  }
}
