import { blocksOf, BLOCK_SIZE, emptyRoot, Hash, isStoredNode, NodeRef, nodeKey, nodeLookup } from '@ledger/log-tree';
import { SqlExecutor } from '@ledger/sql/sql-client';

export interface TreeHead {
  size: number;
  rootHash: Hash;
  /** Hashes of the tree's peaks (its right edge, largest first): enough to append. */
  peaks: Hash[];
}

export async function readHead(sql: SqlExecutor, schema: string): Promise<TreeHead> {
  const r = await sql.query<{ size: string; root: Uint8Array; peaks: string[] }>(
    `SELECT size::text AS size, root_hash AS root, peaks FROM ${schema}.log_tree_head WHERE id = 1`,
    [],
    `log-tree-head-${schema}`,
  );
  const row = r.rows[0];
  if (!row) return { size: 0, rootHash: emptyRoot(), peaks: [] };
  return { size: Number(row.size), rootHash: asHash(row.root), peaks: row.peaks.map((h) => Buffer.from(h, 'hex')) };
}

/**
 * The hashes of `refs`, in one read: the stored nodes among them, and the leaves of the blocks
 * the others are recomputed from (leaf-blocks.ts). The lookup answers undefined for a node it
 * cannot give.
 */
export async function readNodes(sql: SqlExecutor, schema: string, refs: NodeRef[]): Promise<(ref: NodeRef) => Hash | undefined> {
  const stored = new Map<string, Hash>();
  const leaves = new Map<number, Hash>();
  const nodes = refs.filter(isStoredNode);
  const blocks = blocksOf(refs);
  if (nodes.length > 0 || blocks.length > 0) {
    const r = await sql.query<{ level: number; node_index: string; hash: Uint8Array }>(
      // LATERAL: one primary-key lookup per node (and one range per block) whatever the planner guesses about the arrays
      `SELECT w.level::int AS level, w.node_index::text AS node_index, n.hash
       FROM unnest($1::smallint[], $2::bigint[]) AS w(level, node_index)
       CROSS JOIN LATERAL (SELECT hash FROM ${schema}.log_tree_nodes t WHERE t.level = w.level AND t.node_index = w.node_index) n
       UNION ALL
       SELECT -1, l.leaf_index::text, l.hash
       FROM unnest($3::bigint[]) AS b(block)
       CROSS JOIN LATERAL (SELECT leaf_index, hash FROM ${schema}.log_tree_leaves t
                           WHERE t.leaf_index >= b.block * ${BLOCK_SIZE} AND t.leaf_index < (b.block + 1) * ${BLOCK_SIZE}) l`,
      [nodes.map((n) => n.level), nodes.map((n) => n.index), blocks],
      `log-tree-nodes-${schema}`, // planning it cost more than running it
    );
    for (const row of r.rows) {
      if (row.level < 0) leaves.set(Number(row.node_index), asHash(row.hash));
      else stored.set(nodeKey({ level: row.level, index: Number(row.node_index) }), asHash(row.hash));
    }
  }
  return nodeLookup(stored, leaves);
}

/** A bytea as `pg` (Buffer) or PGlite (Uint8Array) returns it, as a Buffer (a copy: PGlite's may be a view of a reused buffer). */
export function asHash(bytes: Uint8Array): Hash {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes);
}
