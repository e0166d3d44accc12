import { availableFeatures, classify, numberFlags } from '@ledger/domain';
import { AccountView } from '@ledger/domain/tenancy/view';
import { DecisionContext, NumberRecord } from '@ledger/domain/types';

/** The number resource of API.md. */
export function presentNumber(record: NumberRecord, ctx: DecisionContext): Record<string, unknown> {
  const flags = numberFlags(record.carrierModule, ctx.config);
  return {
    number: record.number,
    state: record.state,
    carrierModule: record.carrierModule,
    assignedTo: record.assignedTo,
    prevAssignedTo: record.prevAssignedTo,
    reserveHistory: record.reserveHistory,
    usedBy: record.usedBy,
    features: { active: record.features, available: availableFeatures(record, ctx) },
    classification: classify(record.number),
    local: flags.local,
    // Read-only flags (SPEC 4): what the carrier module implies for billing, call authorization, features.
    flags,
    agingUntil: record.agingUntil,
    reservationExpiresAt: record.reservationExpiresAt,
    // A purchase the carrier has not confirmed: the number is not the account's (nor billed) until it does.
    // Shown to admins and to the ordering account and those above it (SPEC 12): the order is its data, not its descendants'.
    pendingOrder: record.pendingOrder && new AccountView(ctx).ownsDataOf(record.pendingOrder.accountId)
      ? { module: record.pendingOrder.module, orderId: record.pendingOrder.orderId, since: record.pendingOrder.since, accountId: record.pendingOrder.accountId, becomes: record.pendingOrder.then.type === 'NumberReserved.v1' ? 'reserved' : 'in_service' }
      : null,
    version: record.version,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}
