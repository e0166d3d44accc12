import { SqlExecutor } from '@ledger/sql/sql-client';

/** The account and every account below it. */
export async function subtreeOf(sql: SqlExecutor, s: string, accountId: string): Promise<string[]> {
  const r = await sql.query<{ id: string }>(`SELECT id FROM ${s}.accounts WHERE $1 = ANY(path) ORDER BY id`, [accountId]);
  return r.rows.map((row) => row.id);
}
