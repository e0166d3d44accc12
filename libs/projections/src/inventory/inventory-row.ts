import { NumberRecord } from '@ledger/domain/types';

/** Column list of the `inventory` reporting table (documented in docs/reporting-tables.md). */
export const INVENTORY_COLUMNS = [
  'number', 'state', 'carrier_module', 'assigned_to', 'prev_assigned_to', 'reserve_history', 'features',
  'feature_lists', 'used_by', 'classification', 'local', 'billable', 'aging_until', 'reservation_expires_at',
  'discovery_expires_at', 'pool_account_id', 'pending_order', 'version', 'created_at', 'updated_at', 'position',
] as const;

export interface InventoryRow {
  number: string;
  state: string;
  carrier_module: string;
  assigned_to: string | null;
  prev_assigned_to: string | null;
  reserve_history: string[];
  features: Record<string, unknown>;
  feature_lists: Record<string, unknown>;
  used_by: NumberRecord['usedBy'];
  classification: string;
  local: boolean;
  billable: boolean;
  aging_until: string | Date | null;
  reservation_expires_at: string | Date | null;
  discovery_expires_at: string | Date | null;
  pool_account_id: string | null;
  /** A carrier order not yet confirmed (NumberRecord.pendingOrder). */
  pending_order: NumberRecord['pendingOrder'];
  version: number;
  created_at: string | Date | null;
  updated_at: string | Date | null;
  position: string;
}

const iso = (v: string | Date | null): string | null => (v == null ? null : new Date(v).toISOString());

export function recordFromRow(row: InventoryRow): NumberRecord {
  return {
    number: row.number,
    exists: true,
    state: row.state as NumberRecord['state'],
    carrierModule: row.carrier_module as NumberRecord['carrierModule'],
    assignedTo: row.assigned_to,
    prevAssignedTo: row.prev_assigned_to,
    reserveHistory: row.reserve_history ?? [],
    features: row.features ?? {},
    featureLists: (row.feature_lists ?? {}),
    usedBy: row.used_by ?? [],
    agingUntil: iso(row.aging_until),
    reservationExpiresAt: iso(row.reservation_expires_at),
    discoveryExpiresAt: iso(row.discovery_expires_at),
    poolAccountId: row.pool_account_id,
    pendingOrder: row.pending_order ?? null,
    version: Number(row.version),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}
