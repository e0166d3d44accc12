import { decide, evolve, isLive } from '@ledger/domain';
import { carrierPolicy } from '@ledger/domain/carrier-policy';
import { DecisionContext, NumberCommand, NumberEvent, NumberRecord, numberStreamId, Requester } from '@ledger/domain/types';
import { TaskState } from '@ledger/domain/task';
import { AccountTree } from '../accounts/account-tree';
import { NumberManagerConfigStore } from '../config/number-manager-config.store';
import { RequestContext } from '../core/request-context';
import { eventIdsFor } from '../core/event-ids';
import { HELD_STATES } from '@ledger/domain/number/decide/add-number';
import { PlannedRow } from './task-rows';

/**
 * What applying a task's rows shares: the requester, and the per-row idempotency key
 * (`task:<id>:<row>`) that seeds the row's event ids, so a row replayed after a crash
 * finds its own events instead of applying twice.
 */
export class RowContext {
  constructor(
    readonly task: TaskState,
    private readonly accounts: AccountTree,
    private readonly config: NumberManagerConfigStore,
  ) {}

  get requester(): Requester {
    return this.task.requester;
  }

  rowKey(row: PlannedRow, step = ''): string {
    return `task:${this.task.id}:${row.index}${step}`;
  }

  meta(row: PlannedRow, step = ''): RequestContext {
    return { requester: this.requester, idempotencyKey: this.rowKey(row, step), taskId: this.task.id, correlationId: `task-${this.task.id}` };
  }

  eventIds(row: PlannedRow, count: number, step = ''): string[] {
    return eventIdsFor(count, numberStreamId(row.e164!), { accountId: this.requester.accountId, key: this.rowKey(row, step) });
  }

  async decisionContext(): Promise<DecisionContext> {
    return { now: new Date(), requester: this.requester, accounts: this.accounts, config: await this.config.config() };
  }

  /** Decides without recording: the dry run's verdict on a row (throws the row's LedgerError). */
  dryDecide(row: PlannedRow, record: NumberRecord, ctx: DecisionContext): NumberEvent[] {
    const { main, features } = this.decideRow(row, record, ctx);
    return [...main, ...features];
  }

  /**
   * The whole row decided on `record`: its command, then its feature change on the record the
   * command leads to (so a feature the new record may not have refuses the row as a whole).
   */
  decideRow(row: PlannedRow, record: NumberRecord, ctx: DecisionContext): { main: NumberEvent[]; features: NumberEvent[] } {
    const main = this.sameAsTarget(record, row.command!) ? [] : decide(row.e164!, row.command!, record, ctx);
    if (!row.features) return { main, features: [] };
    const after = main.reduce(evolve, record);
    return { main, features: decide(row.e164!, { type: 'SetFeatures', changes: row.features }, after, ctx) };
  }

  /**
   * An import row naming exactly what the number already is: nothing to do. Without this,
   * re-importing an available number would record a fresh creation every time.
   */
  sameAsTarget(record: NumberRecord, command: NumberCommand): boolean {
    if (command.type !== 'AddNumber' || !isLive(record)) return false;
    const add = command;
    const state = add.state ?? 'in_service';
    const module = add.carrierModule ?? record.carrierModule;
    if (record.state !== state || record.carrierModule !== module) return false;
    if (HELD_STATES.includes(state)) return record.assignedTo === (add.accountId ?? this.requester.accountId);
    if (carrierPolicy(module).pool && add.accountId) return record.poolAccountId === add.accountId;
    return record.assignedTo === null;
  }
}
