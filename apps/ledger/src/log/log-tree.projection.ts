import { RecordedEvent } from '@ledger/event-store/port';
import { BLOCK_LEVEL, CompactRange, entryText, HASH_SIZE, leafHash, logEntryOf, StoredNode } from '@ledger/log-tree';
import { Projection } from '@ledger/projections/projection';
import { SqlExecutor } from '@ledger/sql/sql-client';
import { readHead } from './log-tree-reads';

export const LOG_TREE_TABLES = {
  leaves: 'log_tree_leaves',
  nodes: 'log_tree_nodes',
  head: 'log_tree_head',
  checkpoints: 'log_checkpoints',
};

/**
 * The log tree: one leaf per event of the global log, in log order (leaf index = the event's
 * ordinal), RFC 6962 hashing. Each leaf row keeps its hash; every complete subtree of
 * 2^BLOCK_LEVEL leaves or more is kept as a node (level, index), and the smaller ones are
 * recomputed from their block's leaves, so a proof is one indexed read of O(log n) nodes and a
 * few blocks of leaves; the head keeps the peaks, so appending reads one row. A rebuild
 * truncates and replays to the same rows; signed checkpoints are not part of the projection
 * and survive it.
 */
export class LogTreeProjection implements Projection {
  readonly name = 'log-tree';
  // Leaves commit to the events as recorded, never to what an upcaster makes of them.
  readonly storedEvents = true;
  readonly tables = [
    { name: LOG_TREE_TABLES.leaves, key: 'leaf_index' },
    { name: LOG_TREE_TABLES.nodes, key: 'level, node_index' },
    { name: LOG_TREE_TABLES.head, key: 'id' },
  ];

  ddl(schema: string): string {
    const leaves = `${schema}.${LOG_TREE_TABLES.leaves}`;
    const nodes = `${schema}.${LOG_TREE_TABLES.nodes}`;
    return `
      CREATE TABLE IF NOT EXISTS ${leaves} (leaf_index bigint PRIMARY KEY, position text NOT NULL, hash bytea NOT NULL);
      CREATE INDEX IF NOT EXISTS ${LOG_TREE_TABLES.leaves}_position ON ${leaves} (position);
      CREATE TABLE IF NOT EXISTS ${nodes} (
        level smallint NOT NULL, node_index bigint NOT NULL, hash bytea NOT NULL, PRIMARY KEY (level, node_index));
      CREATE TABLE IF NOT EXISTS ${schema}.${LOG_TREE_TABLES.head} (
        id smallint PRIMARY KEY, size bigint NOT NULL, root_hash bytea NOT NULL, peaks text[] NOT NULL);
      CREATE TABLE IF NOT EXISTS ${schema}.${LOG_TREE_TABLES.checkpoints} (
        tree_size bigint PRIMARY KEY, root_hash bytea NOT NULL, origin text NOT NULL, note text NOT NULL,
        signed_at timestamptz NOT NULL DEFAULT now());
      ${migrationFromEveryNode(leaves, nodes)}`;
  }

  /** Two statements per batch: the head (with its peaks), then leaves, nodes and head written at once. */
  async apply(tx: SqlExecutor, events: RecordedEvent[], schema: string): Promise<void> {
    const head = await readHead(tx, schema);
    const range = CompactRange.of(head.size, head.peaks);
    const leafHashes = Buffer.allocUnsafe(events.length * HASH_SIZE);
    const nodes: StoredNode[] = [];
    for (let k = 0; k < events.length; k++) {
      const leaf = leafHash(entryText(logEntryOf(events[k])));
      leafHashes.set(leaf, k * HASH_SIZE);
      for (const node of range.append(leaf)) if (node.level >= BLOCK_LEVEL) nodes.push(node);
    }
    // Hashes travel as one binary bytea each (cut in 32-byte pieces by the server), not as hex text.
    await tx.query(
      `WITH leaves AS (
         INSERT INTO ${schema}.${LOG_TREE_TABLES.leaves} (leaf_index, position, hash)
         SELECT $1::bigint + n - 1, p, substr($3::bytea, (n::int - 1) * ${HASH_SIZE} + 1, ${HASH_SIZE})
         FROM unnest($2::text[]) WITH ORDINALITY AS l(p, n)),
       nodes AS (
         INSERT INTO ${schema}.${LOG_TREE_TABLES.nodes} (level, node_index, hash)
         SELECT l, i, substr($6::bytea, (n::int - 1) * ${HASH_SIZE} + 1, ${HASH_SIZE})
         FROM unnest($4::smallint[], $5::bigint[]) WITH ORDINALITY AS t(l, i, n))
       INSERT INTO ${schema}.${LOG_TREE_TABLES.head} (id, size, root_hash, peaks) VALUES (1, $7, $8::bytea, $9::text[])
       ON CONFLICT (id) DO UPDATE SET size = excluded.size, root_hash = excluded.root_hash, peaks = excluded.peaks`,
      [
        head.size, events.map((e) => e.position), leafHashes,
        nodes.map((n) => n.level), nodes.map((n) => n.index), Buffer.concat(nodes.map((n) => n.hash)),
        range.size, range.root(), range.peaks.map((h) => h.toString('hex')),
      ],
      `log-tree-append-${schema}`,
    );
  }
}

/**
 * Trees written before leaves kept their hashes (every node stored, level 0 included, and the
 * leaf's stream and revision): the leaf hashes move into the leaves, the nodes below
 * BLOCK_LEVEL go. Idempotent, and cheap once done (each step finds nothing to do).
 */
function migrationFromEveryNode(leaves: string, nodes: string): string {
  return `
      ALTER TABLE ${leaves} ADD COLUMN IF NOT EXISTS hash bytea;
      UPDATE ${leaves} l SET hash = n.hash FROM ${nodes} n
        WHERE n.level = 0 AND n.node_index = l.leaf_index AND l.hash IS NULL
          AND EXISTS (SELECT 1 FROM ${nodes} WHERE level = 0);
      ALTER TABLE ${leaves} ALTER COLUMN hash SET NOT NULL;
      ALTER TABLE ${leaves} DROP COLUMN IF EXISTS stream_id, DROP COLUMN IF EXISTS revision;
      DELETE FROM ${nodes} WHERE level < ${BLOCK_LEVEL}`;
}
