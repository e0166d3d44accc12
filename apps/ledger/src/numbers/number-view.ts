import { availableFeatures, carrierPolicy, classify } from '../../../../libs/domain/src';
import { DecisionContext, NumberRecord } from '../../../../libs/domain/src/types';

/** The number resource of API.md. */
export function presentNumber(record: NumberRecord, ctx: DecisionContext): Record<string, unknown> {
  const policy = carrierPolicy(record.carrierModule);
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
    local: policy.local,
    // Read-only flags of local numbers (SPEC 4).
    billable: policy.billable,
    agingUntil: record.agingUntil,
    reservationExpiresAt: record.reservationExpiresAt,
    version: record.version,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}
