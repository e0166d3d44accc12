import { RecordedEvent } from '@ledger/event-store/port';
import { SqlExecutor } from '@ledger/sql/sql-client';
import { evolve, initialNumberRecord, classify, carrierPolicy } from '@ledger/domain';
import { NumberRecord } from '@ledger/domain/types';
import { Projection } from '../projection';
import { numberBatchOf, numberEventOf } from '../number-stream';
import { Column, columnsFrom, copies, copyRows, selectColumns } from '../sql-columns';
import { INVENTORY_COLUMNS, InventoryRow, recordFromRow } from './inventory-row';

/** Current state of every number: listing, search, filters (API.md "Numbers: queries"). */
export class InventoryProjection implements Projection {
  readonly name = 'inventory';
  readonly tables = [{ name: 'inventory', key: 'number' }];

  ddl(s: string): string {
    return `
      CREATE TABLE IF NOT EXISTS ${s}.inventory (
        number text PRIMARY KEY,
        state text NOT NULL,
        carrier_module text NOT NULL,
        assigned_to text,
        prev_assigned_to text,
        reserve_history jsonb NOT NULL DEFAULT '[]',
        features jsonb NOT NULL DEFAULT '{}',
        feature_lists jsonb NOT NULL DEFAULT '{}',
        used_by jsonb NOT NULL DEFAULT '[]',
        classification text NOT NULL,
        local boolean NOT NULL,
        billable boolean NOT NULL,
        aging_until timestamptz,
        reservation_expires_at timestamptz,
        discovery_expires_at timestamptz,
        pool_account_id text,
        version integer NOT NULL,
        created_at timestamptz,
        updated_at timestamptz,
        position text NOT NULL
      );
      ALTER TABLE ${s}.inventory ADD COLUMN IF NOT EXISTS pending_order jsonb;
      CREATE INDEX IF NOT EXISTS inventory_pending_order ON ${s}.inventory (number) WHERE pending_order IS NOT NULL;
      -- Listings and search walk these in number order, "C" order (queries.ts): a prefix is a range of it.
      DROP INDEX IF EXISTS ${s}.inventory_number_prefix;
      DROP INDEX IF EXISTS ${s}.inventory_state;
      CREATE INDEX IF NOT EXISTS inventory_number_order ON ${s}.inventory ((number COLLATE "C"));
      CREATE INDEX IF NOT EXISTS inventory_state_order ON ${s}.inventory (state, (number COLLATE "C"));
      CREATE INDEX IF NOT EXISTS inventory_holder_order ON ${s}.inventory (assigned_to, (number COLLATE "C"));
      CREATE INDEX IF NOT EXISTS inventory_assigned_to ON ${s}.inventory (assigned_to, state);
      CREATE INDEX IF NOT EXISTS inventory_aging_until ON ${s}.inventory (aging_until) WHERE state = 'aging';
      CREATE INDEX IF NOT EXISTS inventory_reservation_expiry ON ${s}.inventory (reservation_expires_at) WHERE state = 'reserved';
      CREATE INDEX IF NOT EXISTS inventory_discovery_expiry ON ${s}.inventory (discovery_expires_at) WHERE state = 'discovery';
    `;
  }

  async apply(tx: SqlExecutor, events: RecordedEvent[], schema: string): Promise<void> {
    const batch = numberBatchOf(events);
    if (batch.events.length === 0) return;
    const records = new Map<string, { record: NumberRecord; position: string }>();
    if (batch.seen.length > 0) {
      const current = await tx.query<InventoryRow>(
        `SELECT ${INVENTORY_COLUMNS.join(', ')} FROM ${schema}.inventory WHERE number = ANY($1::text[])`, [batch.seen], `inventory-read-${schema}`);
      for (const row of current.rows) records.set(row.number, { record: recordFromRow(row), position: row.position });
    }
    for (const { number, stored } of batch.events) {
      const before = records.get(number)?.record ?? initialNumberRecord(number);
      if (before.version > stored.revision) continue; // already applied (replayed batch)
      records.set(number, { record: evolve(before, numberEventOf(stored)), position: stored.position });
    }
    const all = [...records.values()];
    if (!copies(tx, all.length - batch.seen.length)) return upsertInventory(tx, schema, all);
    // Mostly a rebuild or an import: the numbers new to the table by COPY, the others as usual.
    const seen = new Set(batch.seen);
    await copyRows(tx, `${schema}.inventory`, COLUMNS, all.filter((r) => !seen.has(r.record.number)).map((r) => rowValues(r.record, r.position)));
    await upsertInventory(tx, schema, all.filter((r) => seen.has(r.record.number)));
  }
}

/** Each column's SQL type. */
const COLUMN_TYPES: Record<(typeof INVENTORY_COLUMNS)[number], string> = {
  number: 'text', state: 'text', carrier_module: 'text', assigned_to: 'text', prev_assigned_to: 'text', reserve_history: 'jsonb',
  features: 'jsonb', feature_lists: 'jsonb', used_by: 'jsonb', classification: 'text', local: 'boolean', billable: 'boolean',
  aging_until: 'timestamptz', reservation_expires_at: 'timestamptz', discovery_expires_at: 'timestamptz', pool_account_id: 'text',
  pending_order: 'jsonb', version: 'integer', created_at: 'timestamptz', updated_at: 'timestamptz', position: 'text',
};

/** The columns with their SQL types, for the batch's rows sent as columns. */
const COLUMNS: Column[] = INVENTORY_COLUMNS.map((name) => ({ name, type: COLUMN_TYPES[name] }));

export function toRow(record: NumberRecord, position: string): Record<(typeof INVENTORY_COLUMNS)[number], unknown> {
  const policy = carrierPolicy(record.carrierModule);
  return {
    number: record.number,
    state: record.state,
    carrier_module: record.carrierModule,
    assigned_to: record.assignedTo,
    prev_assigned_to: record.prevAssignedTo,
    reserve_history: record.reserveHistory,
    features: record.features,
    feature_lists: record.featureLists,
    used_by: record.usedBy,
    classification: classify(record.number),
    local: policy.local,
    billable: policy.billable,
    aging_until: record.agingUntil,
    reservation_expires_at: record.reservationExpiresAt,
    discovery_expires_at: record.discoveryExpiresAt,
    pool_account_id: record.poolAccountId ?? null,
    pending_order: record.pendingOrder ?? null,
    version: record.version,
    created_at: record.createdAt,
    updated_at: record.updatedAt,
    position,
  };
}

/** The row's values in the order of INVENTORY_COLUMNS. */
const rowValues = (record: NumberRecord, position: string): unknown[] => {
  const row = toRow(record, position);
  return INVENTORY_COLUMNS.map((c) => row[c]);
};

/** One statement for the whole batch, its rows sent as columns. */
export async function upsertInventory(
  tx: SqlExecutor,
  schema: string,
  items: Array<{ record: NumberRecord; position: string }>,
): Promise<void> {
  if (items.length === 0) return;
  const rows = items.map((i) => toRow(i.record, i.position));
  const from = columnsFrom(COLUMNS, INVENTORY_COLUMNS.map((c) => rows.map((r) => r[c])));
  const updates = INVENTORY_COLUMNS.filter((c) => c !== 'number').map((c) => `${c} = EXCLUDED.${c}`).join(', ');
  await tx.query(
    `INSERT INTO ${schema}.inventory (${INVENTORY_COLUMNS.join(', ')}) SELECT ${selectColumns(COLUMNS)} FROM ${from.sql}
     ON CONFLICT (number) DO UPDATE SET ${updates}`,
    from.params,
    `inventory-upsert-${schema}`,
  );
}

/** Maintenance: drops the rows of deleted numbers (their history stays in the log); returns how many. */
export async function purgeDeletedNumbers(sql: SqlExecutor, schema: string): Promise<number> {
  const r = await sql.query(`DELETE FROM ${schema}.inventory WHERE state = 'deleted'`);
  return r.rowCount;
}
