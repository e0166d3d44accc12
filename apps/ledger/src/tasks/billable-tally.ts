import { NumberManagerConfig, NumberRecord } from '@ledger/domain/types';
import { BillableNumberLimit, refusal } from '../numbers/command-runner/billable-limit';

/**
 * The billable-number limit over one task's rows, decided many at a time: each limited
 * account's holding is counted once on the inventory, then every row the task gives it is
 * added here, so rows decided together (before the read model sees any of them) are
 * refused from the first one past the limit, as commands one after the other would be.
 */
export class BillableTally {
  private readonly held = new Map<string, number>();

  constructor(private readonly limit: BillableNumberLimit) {}

  /** True when the change takes a billable number for an account with a limit. */
  applies(before: NumberRecord, after: NumberRecord, config: NumberManagerConfig): boolean {
    return this.limit.limitedTake(before, after, config) !== null;
  }

  /** Counts the change against its account's limit; throws `service_restriction` past it. */
  async take(before: NumberRecord, after: NumberRecord, config: NumberManagerConfig): Promise<void> {
    const take = this.limit.limitedTake(before, after, config);
    if (!take) return;
    const held = this.held.get(take.account) ?? (await this.limit.held(take.account, config));
    if (held >= take.limit) throw refusal(take);
    this.held.set(take.account, held + 1);
  }

  /** A counted change that was not recorded after all (its stream moved meanwhile). */
  untake(before: NumberRecord, after: NumberRecord, config: NumberManagerConfig): void {
    const take = this.limit.limitedTake(before, after, config);
    const held = take && this.held.get(take.account);
    if (take && held) this.held.set(take.account, held - 1);
  }
}
