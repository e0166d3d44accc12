import { emptyRoot, Hash, NodeRef, nodeKey } from '@ledger/log-tree';
import { SqlExecutor } from '@ledger/sql/sql-client';

export interface TreeHead {
  size: number;
  rootHash: Hash;
  /** Hashes of the tree's peaks (its right edge, largest first): enough to append. */
  peaks: Hash[];
}

export async function readHead(sql: SqlExecutor, schema: string): Promise<TreeHead> {
  const r = await sql.query<{ size: string; root: string; peaks: string[] }>(
    `SELECT size::text AS size, encode(root_hash, 'hex') AS root, peaks FROM ${schema}.log_tree_head WHERE id = 1`,
  );
  const row = r.rows[0];
  if (!row) return { size: 0, rootHash: emptyRoot(), peaks: [] };
  return { size: Number(row.size), rootHash: Buffer.from(row.root, 'hex'), peaks: row.peaks.map((h) => Buffer.from(h, 'hex')) };
}

/** The stored hashes of `refs`, in one read; the lookup answers undefined for a node not stored. */
export async function readNodes(sql: SqlExecutor, schema: string, refs: NodeRef[]): Promise<(ref: NodeRef) => Hash | undefined> {
  const found = new Map<string, Hash>();
  if (refs.length > 0) {
    const r = await sql.query<{ level: number; node_index: string; hash: string }>(
      // LATERAL: one primary-key lookup per node whatever the planner guesses about the arrays
      `SELECT w.level::int AS level, w.node_index::text AS node_index, encode(n.hash, 'hex') AS hash
       FROM unnest($1::text[]::smallint[], $2::text[]::bigint[]) AS w(level, node_index)
       CROSS JOIN LATERAL (SELECT hash FROM ${schema}.log_tree_nodes t WHERE t.level = w.level AND t.node_index = w.node_index) n`,
      [refs.map((r) => String(r.level)), refs.map((r) => String(r.index))],
    );
    for (const row of r.rows) found.set(nodeKey({ level: row.level, index: Number(row.node_index) }), Buffer.from(row.hash, 'hex'));
  }
  return (ref) => found.get(nodeKey(ref));
}
