import { RecordedEvent } from '@ledger/event-store/port';
import { CompactRange, entryBytes, leafHash, logEntryOf, StoredNode } from '@ledger/log-tree';
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
 * ordinal), RFC 6962 hashing. Every complete subtree is kept as a node (level, index), so a
 * proof is one indexed read of O(log n) rows; the head keeps the peaks, so appending reads one
 * row. A rebuild truncates and replays to the same nodes; signed checkpoints are not part of
 * the projection and survive it.
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
    return `
      CREATE TABLE IF NOT EXISTS ${schema}.${LOG_TREE_TABLES.leaves} (
        leaf_index bigint PRIMARY KEY, position text NOT NULL, stream_id text NOT NULL, revision bigint NOT NULL);
      CREATE INDEX IF NOT EXISTS ${LOG_TREE_TABLES.leaves}_position ON ${schema}.${LOG_TREE_TABLES.leaves} (position);
      CREATE TABLE IF NOT EXISTS ${schema}.${LOG_TREE_TABLES.nodes} (
        level smallint NOT NULL, node_index bigint NOT NULL, hash bytea NOT NULL, PRIMARY KEY (level, node_index));
      CREATE TABLE IF NOT EXISTS ${schema}.${LOG_TREE_TABLES.head} (
        id smallint PRIMARY KEY, size bigint NOT NULL, root_hash bytea NOT NULL, peaks text[] NOT NULL);
      CREATE TABLE IF NOT EXISTS ${schema}.${LOG_TREE_TABLES.checkpoints} (
        tree_size bigint PRIMARY KEY, root_hash bytea NOT NULL, origin text NOT NULL, note text NOT NULL,
        signed_at timestamptz NOT NULL DEFAULT now())`;
  }

  /** Two statements per batch: the head (with its peaks), then leaves, nodes and head written at once. */
  async apply(tx: SqlExecutor, events: RecordedEvent[], schema: string): Promise<void> {
    const head = await readHead(tx, schema);
    const range = CompactRange.of(head.size, head.peaks);
    const created: StoredNode[] = [];
    const leaves = events.map((event) => {
      const index = range.size;
      created.push(...range.append(leafHash(entryBytes(logEntryOf(event)))));
      return { index, event };
    });
    await tx.query(
      `WITH leaves AS (
         INSERT INTO ${schema}.${LOG_TREE_TABLES.leaves} (leaf_index, position, stream_id, revision)
         SELECT * FROM unnest($1::text[]::bigint[], $2::text[], $3::text[], $4::text[]::bigint[])),
       nodes AS (
         INSERT INTO ${schema}.${LOG_TREE_TABLES.nodes} (level, node_index, hash)
         SELECT l, i, decode(h, 'hex') FROM unnest($5::text[]::smallint[], $6::text[]::bigint[], $7::text[]) AS n(l, i, h))
       INSERT INTO ${schema}.${LOG_TREE_TABLES.head} (id, size, root_hash, peaks) VALUES (1, $8, decode($9, 'hex'), $10::text[])
       ON CONFLICT (id) DO UPDATE SET size = excluded.size, root_hash = excluded.root_hash, peaks = excluded.peaks`,
      [
        leaves.map((l) => String(l.index)), leaves.map((l) => l.event.position), leaves.map((l) => l.event.streamId), leaves.map((l) => String(l.event.revision)),
        created.map((n) => String(n.level)), created.map((n) => String(n.index)), created.map((n) => n.hash.toString('hex')),
        range.size, range.root().toString('hex'), range.peaks.map((h) => h.toString('hex')),
      ],
    );
  }
}
