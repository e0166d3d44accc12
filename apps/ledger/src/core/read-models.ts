import type { RecordedEvent } from '@ledger/event-store/port';
import { AccountsProjection } from '@ledger/projections/accounts/projection';
import { AuditsProjection } from '@ledger/projections/audits/projection';
import { BillingProjection } from '@ledger/projections/billing/projection';
import { InventoryProjection } from '@ledger/projections/inventory/projection';
import type { Projection } from '@ledger/projections/projection';
import { ReconciliationsProjection } from '@ledger/projections/reconciliations/projection';
import { TasksProjection } from '@ledger/projections/tasks/projection';
import { UsageProjection } from '@ledger/projections/usage/projection';

/**
 * The read models of libs/projections, in the order the projector applies them: the same
 * list wherever a projector is built (this thread, or the projector thread's own).
 */
export function readModelProjections(onAccounts?: (events: RecordedEvent[]) => void): Projection[] {
  return [
    new InventoryProjection(),
    new AccountsProjection(onAccounts),
    new TasksProjection(),
    new UsageProjection(),
    new BillingProjection(),
    new AuditsProjection(),
    new ReconciliationsProjection(),
  ];
}

/**
 * The read model most reads wait for (listings, search, a number after a command with
 * `minPosition`): a followed batch commits it on its own, beside the others (ProjectorOptions.firstLanes).
 */
export const FIRST_LANES: readonly string[] = [new InventoryProjection().name];
