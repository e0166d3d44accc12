import { RecordedEvent } from '../../../../libs/event-store/src/port';
import { CompactRange, entryBytes, leafHash, logEntryOf, peaks, StoredNode } from '../../../../libs/log-tree/src';
import { Projection } from '../../../../libs/projections/src/projection';
import { SqlExecutor } from '../../../../libs/sql/src/sql-client';
import { readHead, readNodes } from './log-tree-reads';

export const LOG_TREE_TABLES = {
  leaves: 'log_tree_leaves',
  nodes: 'log_tree_nodes',
  head: 'log_tree_head',
  checkpoints: 'log_checkpoints',
};

/**
 * The log tree: one leaf per event of the global log, in log order (leaf index = the event's
 * ordinal), RFC 6962 hashing. Every complete subtree is kept as a node (level, index), so a
 * proof is one indexed read of O(log n) rows. A rebuild truncates and replays to the same
 * nodes; signed checkpoints are not part of the projection and survive it.
 */
export class LogTreeProjection implements Projection {
  readonly name = 'log-tree';
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
        id smallint PRIMARY KEY, size bigint NOT NULL, root_hash bytea NOT NULL);
      CREATE TABLE IF NOT EXISTS ${schema}.${LOG_TREE_TABLES.checkpoints} (
        tree_size bigint PRIMARY KEY, root_hash bytea NOT NULL, origin text NOT NULL, note text NOT NULL,
        signed_at timestamptz NOT NULL DEFAULT now())`;
  }

  async apply(tx: SqlExecutor, events: RecordedEvent[], schema: string): Promise<void> {
    const head = await readHead(tx, schema);
    const known = await readNodes(tx, schema, peaks(head.size));
    const edge = peaks(head.size).map((ref) => known(ref));
    if (edge.some((h) => !h)) throw new Error(`the log tree of ${head.size} leaves lacks stored nodes; rebuild the projections`);
    const range = CompactRange.of(head.size, edge as Buffer[]);
    const created: StoredNode[] = [];
    const leaves = events.map((event) => {
      const index = range.size;
      created.push(...range.append(leafHash(entryBytes(logEntryOf(event)))));
      return { index, event };
    });
    await tx.query(
      `INSERT INTO ${schema}.${LOG_TREE_TABLES.leaves} (leaf_index, position, stream_id, revision)
       SELECT * FROM unnest($1::text[]::bigint[], $2::text[], $3::text[], $4::text[]::bigint[])`,
      [leaves.map((l) => String(l.index)), leaves.map((l) => l.event.position), leaves.map((l) => l.event.streamId), leaves.map((l) => String(l.event.revision))],
    );
    await tx.query(
      `INSERT INTO ${schema}.${LOG_TREE_TABLES.nodes} (level, node_index, hash)
       SELECT l, i, decode(h, 'hex') FROM unnest($1::text[]::smallint[], $2::text[]::bigint[], $3::text[]) AS n(l, i, h)`,
      [created.map((n) => String(n.level)), created.map((n) => String(n.index)), created.map((n) => n.hash.toString('hex'))],
    );
    await tx.query(
      `INSERT INTO ${schema}.${LOG_TREE_TABLES.head} (id, size, root_hash) VALUES (1, $1, decode($2, 'hex'))
       ON CONFLICT (id) DO UPDATE SET size = excluded.size, root_hash = excluded.root_hash`,
      [range.size, range.root().toString('hex')],
    );
  }
}
