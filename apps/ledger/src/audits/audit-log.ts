import { auditDecider, AuditCommand, AuditState } from '@ledger/domain/audit/decider';
import { AuditEvent, auditEvents, auditStreamId } from '@ledger/domain/audit/events';
import { CommandHandler, Loaded } from '@ledger/event-store/command-handler';
import { EventStore, LogPosition } from '@ledger/event-store/port';

/** Where an audit stands, folded from its stream (the audit decider's state). */
export type AuditProgress = AuditState;

/** One step of the audit runner; the log adds the instant. */
export type AuditStep = AuditCommand extends infer C ? (C extends AuditCommand ? Omit<C, 'at'> : never) : never;

/**
 * The audit's own stream (the audit decider), each step appended with the revision this
 * log last wrote: if two instances try to run the same audit, the second one's append
 * fails (`WrongExpectedRevisionError`, never retried) and it stops.
 */
export class AuditLog {
  private recorded: Loaded<AuditState>;

  private constructor(private readonly handler: CommandHandler<AuditCommand, AuditEvent, AuditState>, readonly id: string, recorded: Loaded<AuditState>) {
    this.recorded = recorded;
  }

  /** Position of the audit's last event: read models that reached it include every change made before. */
  get lastPosition(): LogPosition | null {
    return this.recorded.position;
  }

  /** A new audit's log (its stream does not exist yet). */
  static create(events: EventStore, id: string): AuditLog {
    return new AuditLog(handlerOn(events), id, { state: auditDecider.initialState(), revision: 'no_stream', position: null });
  }

  static async open(events: EventStore, id: string): Promise<{ log: AuditLog; progress: AuditProgress }> {
    const handler = handlerOn(events);
    const recorded = await handler.load(auditStreamId(id));
    return { log: new AuditLog(handler, id, recorded), progress: recorded.state };
  }

  async record(step: AuditStep, actor: string): Promise<LogPosition> {
    const command: AuditCommand = { ...step, at: new Date().toISOString() };
    const done = await this.handler.handle(auditStreamId(this.id), command, {
      metadata: { actor, command: 'Audit', auditId: this.id },
      known: this.recorded,
    });
    this.recorded = done;
    return done.position!;
  }
}

function handlerOn(events: EventStore): CommandHandler<AuditCommand, AuditEvent, AuditState> {
  return new CommandHandler(events, () => auditDecider, { codec: auditEvents, maxAttempts: 1 });
}
