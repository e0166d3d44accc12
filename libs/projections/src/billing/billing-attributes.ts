import { classify } from '@ledger/domain/classify';
import { NumberRecord, NumberState } from '@ledger/domain/types';

/** States in which a number counts for its holder (SPEC 6). */
export const BILLED_STATES: readonly NumberState[] = ['reserved', 'in_service', 'port_in'];

/** What billing counts about a number at one instant; null when it counts for nobody. */
export interface BillingAttributes {
  accountId: string;
  classification: string;
  carrierModule: string;
  /** Active features, sorted. */
  features: string[];
}

export function billingAttributes(record: NumberRecord): BillingAttributes | null {
  if (!record.exists || !BILLED_STATES.includes(record.state) || record.assignedTo === null) return null;
  return {
    accountId: record.assignedTo,
    classification: classify(record.number),
    carrierModule: record.carrierModule,
    features: Object.keys(record.features).filter((f) => record.features[f as keyof typeof record.features] != null).sort(),
  };
}

export function sameAttributes(a: BillingAttributes | null, b: BillingAttributes | null): boolean {
  if (a === null || b === null) return a === b;
  return a.accountId === b.accountId && a.classification === b.classification && a.carrierModule === b.carrierModule
    && a.features.length === b.features.length && a.features.every((f, i) => f === b.features[i]);
}
