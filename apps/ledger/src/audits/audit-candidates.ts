import { AuditSubject } from '@ledger/domain/audit/audit-rules';
import { NumberState, UsageRef } from '@ledger/domain/types';
import { SqlExecutor } from '@ledger/sql/sql-client';

interface CandidateRow {
  number: string;
  state: NumberState | null;
  assigned_to: string | null;
  pool_account_id: string | null;
  used_by: UsageRef[] | null;
  users: UsageRef[];
}

/**
 * The numbers of the scope that may need the audit's attention, in number
 * order, found in SQL: used by an audited service or held by an audited
 * account, and missing, not in service, held by an account that does not use
 * it, unused, or with usage different from the registry. A superset: the
 * rules (`auditNumber`) decide; numbers already right are never fetched.
 */
export async function findCandidates(sql: SqlExecutor, s: string, scope: string[], after?: string): Promise<AuditSubject[]> {
  const r = await sql.query<CandidateRow>(
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
            OR NOT (i.assigned_to = ANY(u.accounts))
            OR NOT (i.used_by @> u.users AND u.users @> i.used_by AND jsonb_array_length(i.used_by) = jsonb_array_length(u.users)))
     ORDER BY s.number`,
    [scope, after ?? null],
  );
  return r.rows.map((row) => ({
    number: row.number,
    current: row.state === null ? null : { state: row.state, assignedTo: row.assigned_to, usedBy: row.used_by ?? [], poolAccountId: row.pool_account_id },
    users: row.users,
  }));
}
