import { NumberState, PendingOrder, UsageRef } from '@ledger/domain/types';
import { SqlExecutor } from '@ledger/sql/sql-client';
import { Where } from '../where';
import { InventoryRow } from './inventory-row';

/** Who reads the listing: its account and that account's path from the root; null for an admin (sees everything). */
export interface InventoryReader {
  accountId: string;
  path: string[];
}

/** `GET /v1/numbers` filters; `after` is the decoded cursor. */
export interface InventoryFilter {
  state?: string;
  prefix?: string;
  carrierModule?: string;
  classification?: string;
  assignedTo?: string;
  usedBy?: string;
  after?: string;
}

/** The columns a service registration checks tenancy on. */
export interface ListedNumberRow {
  number: string;
  state: NumberState;
  assigned_to: string | null;
  pool_account_id: string | null;
  /** How many services the number records as its users, the `service` asked about left out. */
  other_users: number;
}

/** What an audit compares for one number: the inventory row (if any) and the registry's users. */
export interface AuditCandidateRow {
  number: string;
  state: NumberState | null;
  assigned_to: string | null;
  pool_account_id: string | null;
  used_by: UsageRef[] | null;
  users: UsageRef[];
}

/** The inventory columns that carry an expiry the sweeper acts on. */
export type ExpiryColumn = 'aging_until' | 'reservation_expires_at' | 'discovery_expires_at';

export interface ReconciliationFindingRow {
  kind: 'paid_for_nothing' | 'broken_service' | 'wrong_module' | 'pending_order';
  number: string;
  ledger_module: string | null;
  ledger_state: string | null;
  upstream_state: string | null;
}

/** Which held numbers a carrier comparison covers, and the upstream list it is compared with. */
export interface CarrierComparison {
  /** Qualified name of the table holding the carrier's list: (run_id, number, upstream_state). */
  upstreamTable: string;
  runId: string;
  module: string;
  /** Upstream states by which the carrier no longer charges for a number. */
  gone: string[];
  /** Ledger states of a held number. */
  held: string[];
  holdersBelow: string | null;
  notBelow: string[];
}

/**
 * Listings and search go in byte order of the E.164 text (for "+" and digits, the order of
 * the usual collations too): whatever the database's collation, its indexes (projection.ts) hold a
 * prefix as one range, in the order pages are cut, so a page reads its rows and stops.
 */
const NUMBER_ORDER = 'i.number COLLATE "C"';

/** Read side of the `inventory` read model (with `accounts` where a query follows the holder's path). */
export class InventoryQueries {
  constructor(private readonly sql: SqlExecutor, private readonly schema: string) {}

  /**
   * One page of the listing, in number order (`limit + 1` rows: the extra one says there is more).
   * What a reader may see (SPEC 2, reading rules): available numbers (managed ones only
   * within their pool's subtree), numbers held in its subtree, numbers reserved by its ancestors.
   */
  async list(reader: InventoryReader | null, f: InventoryFilter, limit: number): Promise<InventoryRow[]> {
    const where = new Where();
    if (reader) visibleTo(where, reader);
    if (f.state) where.add((p) => `i.state = ${p(f.state)}`);
    else where.add(() => `i.state <> 'deleted'`);
    if (f.prefix) where.add((p) => `${NUMBER_ORDER} LIKE ${p(`${f.prefix!.startsWith('+') ? '' : '+'}${f.prefix}%`)}`);
    if (f.carrierModule) where.add((p) => `i.carrier_module = ${p(f.carrierModule)}`);
    if (f.classification) where.add((p) => `i.classification = ${p(f.classification)}`);
    if (f.assignedTo) where.add((p) => `i.assigned_to = ${p(f.assignedTo)}`);
    if (f.usedBy) where.add((p) => `i.used_by @> ${p(JSON.stringify([{ type: f.usedBy }]))}::jsonb`);
    if (f.after !== undefined) where.add((p) => `${NUMBER_ORDER} > ${p(f.after)}`);
    const s = this.schema;
    const r = await this.sql.query<InventoryRow>(
      `SELECT i.* FROM ${s}.inventory i LEFT JOIN ${s}.accounts a ON a.id = i.assigned_to ${where.toString()} ORDER BY ${NUMBER_ORDER} LIMIT ${limit + 1}`,
      where.params,
    );
    return r.rows;
  }

  /**
   * Numbers an account may take (SPEC 9), in number order: free inventory, the managed pool
   * of its lineage, numbers reserved along it; with `onlyNumbers`, just those numbers and
   * also unordered `discovery` entries.
   */
  async takeable(prefix: string, lineage: string[], offset: number, limit: number, onlyNumbers?: string[]): Promise<InventoryRow[]> {
    const s = this.schema;
    const params: unknown[] = [`${prefix}%`, lineage, offset, limit];
    if (onlyNumbers) params.push(onlyNumbers);
    const r = await this.sql.query<InventoryRow>(
      `SELECT i.* FROM ${s}.inventory i
       WHERE ${NUMBER_ORDER} LIKE $1
         AND ((i.state = 'available' AND (i.pool_account_id IS NULL OR i.pool_account_id = ANY($2::text[])))
           OR (i.state = 'reserved' AND i.assigned_to = ANY($2::text[]))
           ${onlyNumbers ? `OR (i.state = 'discovery' AND i.pending_order IS NULL)` : ''})
         ${onlyNumbers ? 'AND i.number = ANY($5::text[])' : ''}
       ORDER BY ${NUMBER_ORDER} OFFSET $3 LIMIT $4`,
      params,
    );
    return r.rows;
  }

  /** How many numbers of these carrier modules the account holds (reserved, in service, porting in). */
  async heldCount(accountId: string, carrierModules: readonly string[]): Promise<number> {
    const r = await this.sql.query<{ held: number }>(
      `SELECT count(*)::int AS held FROM ${this.schema}.inventory
       WHERE assigned_to = $1 AND state IN ('reserved', 'in_service', 'port_in') AND carrier_module = ANY($2::text[])`,
      [accountId, carrierModules],
    );
    return r.rows[0].held;
  }

  /** The listed numbers the inventory has (deleted ones left out), with who holds them. */
  /** The numbers' holdings, and how many services other than `service` ({type, id, accountId}) each records. */
  async listed(numbers: string[], service: { type: string; id: string; accountId: string }): Promise<ListedNumberRow[]> {
    const r = await this.sql.query<ListedNumberRow>(
      `SELECT number, state, assigned_to, pool_account_id,
              jsonb_array_length(used_by)::int - (CASE WHEN used_by @> jsonb_build_array($2::jsonb) THEN 1 ELSE 0 END) AS other_users
       FROM ${this.schema}.inventory WHERE number = ANY($1::text[]) AND state <> 'deleted'`,
      [numbers, JSON.stringify(service)],
    );
    return r.rows;
  }

  /** One page of the export after `after`, in number order; `within`: only numbers held in that account's subtree. */
  async exportPage(after: string, limit: number, within: string | null): Promise<Array<Record<string, unknown>>> {
    const s = this.schema;
    const params: unknown[] = [after, limit];
    const scope = within === null ? '' : `AND $3 = ANY(a.path)`;
    if (within !== null) params.push(within);
    const { rows } = await this.sql.query<Record<string, unknown>>(
      `SELECT i.* FROM ${s}.inventory i LEFT JOIN ${s}.accounts a ON a.id = i.assigned_to
       WHERE i.number > $1 AND i.state <> 'deleted' ${scope} ORDER BY i.number LIMIT $2`,
      params,
    );
    return rows;
  }

  /** Numbers in `state` whose `column` has passed, soonest first. */
  async due(state: string, column: ExpiryColumn, limit: number): Promise<Array<{ number: string }>> {
    const r = await this.sql.query<{ number: string }>(
      `SELECT number FROM ${this.schema}.inventory WHERE state = $1 AND ${column} <= now() ORDER BY ${column} LIMIT ${limit}`,
      [state],
    );
    return r.rows;
  }

  /** Numbers with a carrier order not yet confirmed, after `after` in number order. */
  async pendingOrders(after: string, limit: number): Promise<Array<{ number: string; pending_order: PendingOrder }>> {
    const r = await this.sql.query<{ number: string; pending_order: PendingOrder }>(
      `SELECT number, pending_order FROM ${this.schema}.inventory WHERE pending_order IS NOT NULL AND number > $1 ORDER BY number LIMIT ${limit}`,
      [after],
    );
    return r.rows;
  }

  /** Every number in `discovery`, in number order. */
  async discoveries(): Promise<Array<{ number: string }>> {
    const { rows } = await this.sql.query<{ number: string }>(
      `SELECT number FROM ${this.schema}.inventory WHERE state = 'discovery' ORDER BY number`,
    );
    return rows;
  }

  /**
   * The numbers of the scope that may need the audit's attention, in number
   * order: used by an audited service or held by an audited account, and
   * missing, not in service, held by an account that does not use it or is not audited, unused,
   * or with usage different from the registry (`service_numbers`).
   */
  async auditCandidates(scope: string[], after?: string): Promise<AuditCandidateRow[]> {
    const s = this.schema;
    const r = await this.sql.query<AuditCandidateRow>(
      `WITH subjects AS (
       SELECT number FROM ${s}.service_numbers WHERE account_id = ANY($1::text[])
       UNION
       SELECT number FROM ${s}.inventory WHERE assigned_to = ANY($1::text[]) AND state <> 'deleted'
     ),
     users AS (
       SELECT sn.number,
              jsonb_agg(jsonb_build_object('type', sn.type, 'id', sn.service_id, 'accountId', sn.account_id)) AS users,
              array_agg(DISTINCT sn.account_id) AS accounts
       FROM ${s}.service_numbers sn JOIN subjects USING (number)
       GROUP BY sn.number
     )
     SELECT s.number, i.state, i.assigned_to, i.pool_account_id, i.used_by, COALESCE(u.users, '[]'::jsonb) AS users
     FROM subjects s
     LEFT JOIN ${s}.inventory i ON i.number = s.number AND i.state <> 'deleted'
     LEFT JOIN users u ON u.number = s.number
     WHERE ($2::text IS NULL OR s.number > $2::text)
       AND (i.number IS NULL OR i.state <> 'in_service' OR u.number IS NULL
            OR NOT (i.assigned_to = ANY(u.accounts) AND i.assigned_to = ANY($1::text[]))
            OR NOT (i.used_by @> u.users AND u.users @> i.used_by AND jsonb_array_length(i.used_by) = jsonb_array_length(u.users)))
     ORDER BY s.number`,
      [scope, after ?? null],
    );
    return r.rows;
  }

  /** Counts per finding kind of a carrier comparison, and `ledger`: the held numbers it covers. */
  async reconciliationCounts(c: CarrierComparison): Promise<Array<{ kind: string; n: string }>> {
    const r = await this.sql.query<{ kind: string; n: string }>(
      `${this.findingsQuery(c.upstreamTable)} SELECT kind, count(*) AS n FROM found GROUP BY kind
     UNION ALL SELECT 'ledger', count(*) FROM mine WHERE state = ANY($4::text[])`,
      comparisonParams(c),
    );
    return r.rows;
  }

  /** The first `limit` findings of a carrier comparison, in number order. */
  async reconciliationFindings(c: CarrierComparison, limit: number): Promise<ReconciliationFindingRow[]> {
    const r = await this.sql.query<ReconciliationFindingRow>(
      `${this.findingsQuery(c.upstreamTable)} SELECT * FROM found ORDER BY number LIMIT ${limit}`,
      comparisonParams(c),
    );
    return r.rows;
  }

  /** The findings as one query: upstream numbers the ledger does not hold as this module, and held ones upstream does not list. */
  private findingsQuery(upstreamTable: string): string {
    const s = this.schema;
    const holder = `COALESCE(i.assigned_to, i.pending_order->>'accountId')`;
    const outsider = `COALESCE(i.assigned_to, i.pending_order->>'accountId', i.pool_account_id)`;
    return `WITH up AS (
      SELECT number, upstream_state FROM ${upstreamTable}
       WHERE run_id = $1 AND NOT (upstream_state = ANY($3::text[]))),
    mine AS (
      SELECT i.* FROM ${s}.inventory i
       WHERE i.carrier_module = $2 AND (i.state = ANY($4::text[]) OR i.pending_order IS NOT NULL)
         AND ($5::text IS NULL OR EXISTS (SELECT 1 FROM ${s}.accounts a WHERE a.id = ${holder} AND $5::text = ANY(a.path)))
         AND NOT EXISTS (SELECT 1 FROM ${s}.accounts a WHERE a.id = ${holder} AND a.path && $6::text[])),
    found AS (
      SELECT CASE WHEN x.elsewhere THEN 'paid_for_nothing'
                  WHEN i.pending_order IS NOT NULL THEN 'pending_order'
                  WHEN i.number IS NOT NULL AND i.carrier_module <> $2 THEN 'wrong_module'
                  ELSE 'paid_for_nothing' END AS kind,
             up.number, CASE WHEN x.elsewhere THEN NULL ELSE i.carrier_module END AS ledger_module,
             CASE WHEN x.elsewhere THEN 'elsewhere' ELSE i.state END AS ledger_state, up.upstream_state
        FROM up LEFT JOIN ${s}.inventory i ON i.number = up.number
        -- A reseller's run: a number held, ordered or pooled outside its accounts is no number of
        -- its own (SPEC 12): neither its state nor its module is shown.
        CROSS JOIN LATERAL (SELECT $5::text IS NOT NULL AND ${outsider} IS NOT NULL AND NOT EXISTS (
          SELECT 1 FROM ${s}.accounts a WHERE a.id = ${outsider} AND $5::text = ANY(a.path)) AS elsewhere) x
       WHERE x.elsewhere OR i.number IS NULL OR i.pending_order IS NOT NULL OR i.carrier_module <> $2 OR NOT (i.state = ANY($4::text[]))
      UNION ALL
      SELECT CASE WHEN m.pending_order IS NOT NULL THEN 'pending_order' ELSE 'broken_service' END,
             m.number, m.carrier_module, m.state, NULL
        FROM mine m WHERE NOT EXISTS (SELECT 1 FROM up WHERE up.number = m.number))`;
  }
}

/** Expects the inventory as `i` joined with the holder's account as `a`. */
function visibleTo(where: Where, reader: InventoryReader): void {
  where.add((p) => {
    const me = p(reader.accountId);
    const ancestors = p(reader.path);
    return `(${me} = ANY(a.path)
      OR (i.state = 'available' AND (i.pool_account_id IS NULL OR i.pool_account_id = ANY(${ancestors}::text[])))
      OR (i.state = 'reserved' AND i.assigned_to = ANY(${ancestors}::text[])))`;
  });
}

const comparisonParams = (c: CarrierComparison): unknown[] => [c.runId, c.module, c.gone, c.held, c.holdersBelow, c.notBelow];
