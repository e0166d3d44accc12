import { RecordedEvent } from '@ledger/event-store/port';
import { assembleProof, CompactRange, entryBytes, logEntryOf, planConsistency, planInclusion } from '@ledger/log-tree';
import { PgliteSqlClient } from '@ledger/sql/pglite-sql-client';
import { SqlClient } from '@ledger/sql/sql-client';
import { createScratchDatabase, ScratchDatabase, testDatabaseUrl } from '@ledger/sql/test/test-database';
import { hex, ReferenceTree } from '../../../../test/support/rfc6962-reference';
import { readNodes } from './log-tree-reads';
import { LogTreeProjection } from './log-tree.projection';
import { LogTreeStore } from './log-tree.store';

const events: RecordedEvent[] = Array.from({ length: 150 }, (_, i) => ({
  streamId: `number-+1415555${String(i).padStart(4, '0')}`, revision: i % 3, position: `${100 + Math.floor(i / 7)}:${i % 7}`, id: `e-${i}`,
  type: 'NumberAdded.v1', data: { number: `+1415555${String(i).padStart(4, '0')}`, state: 'available', n: i / 3 }, metadata: { actor: 'system' },
  recordedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)),
}));
const reference = new ReferenceTree(events.map((e) => ReferenceTree.leafHash(entryBytes(logEntryOf(e)))));

/** A tree as the projection wrote it before leaves kept their hashes: every node, level 0 included, in log_tree_nodes. */
async function writeEveryNodeLayout(sql: SqlClient, upTo: number): Promise<void> {
  await sql.exec(`
    CREATE TABLE log_tree_leaves (leaf_index bigint PRIMARY KEY, position text NOT NULL, stream_id text NOT NULL, revision bigint NOT NULL);
    CREATE INDEX log_tree_leaves_position ON log_tree_leaves (position);
    CREATE TABLE log_tree_nodes (level smallint NOT NULL, node_index bigint NOT NULL, hash bytea NOT NULL, PRIMARY KEY (level, node_index));
    CREATE TABLE log_tree_head (id smallint PRIMARY KEY, size bigint NOT NULL, root_hash bytea NOT NULL, peaks text[] NOT NULL)`);
  const range = CompactRange.empty();
  const nodes = events.slice(0, upTo).flatMap((e) => range.append(ReferenceTree.leafHash(entryBytes(logEntryOf(e)))));
  await sql.query(
    `INSERT INTO log_tree_leaves SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::bigint[])`,
    [events.slice(0, upTo).map((_, i) => i), events.slice(0, upTo).map((e) => e.position), events.slice(0, upTo).map((e) => e.streamId), events.slice(0, upTo).map((e) => e.revision)],
  );
  await sql.query(
    `INSERT INTO log_tree_nodes SELECT l, i, decode(h, 'hex') FROM unnest($1::smallint[], $2::bigint[], $3::text[]) AS n(l, i, h)`,
    [nodes.map((n) => n.level), nodes.map((n) => n.index), nodes.map((n) => n.hash.toString('hex'))],
  );
  await sql.query(`INSERT INTO log_tree_head VALUES (1, $1, decode($2, 'hex'), $3::text[])`, [range.size, range.root().toString('hex'), range.peaks.map((h) => h.toString('hex'))]);
}

async function expectProofsOfReference(sql: SqlClient, size: number): Promise<void> {
  const store = new LogTreeStore(sql, 'public');
  expect((await store.head()).rootHash.equals(reference.mth(0, size))).toBe(true);
  // every size up to two blocks, then a spread (the lib's spec covers every size against stored nodes and leaves)
  const sizes = [...Array.from({ length: 33 }, (_, i) => i + 1), ...Array.from({ length: 12 }, (_, i) => 34 + i * 11), size - 1, size];
  for (const n of sizes.filter((s) => s <= size)) {
    const m = (n * 7919) % n;
    const from = 1 + ((n * 31) % n);
    const inclusion = planInclusion(m, n);
    const consistency = planConsistency(from, n);
    const stored = await readNodes(sql, 'public', [...inclusion.nodes, ...consistency.nodes]);
    expect(hex(assembleProof(inclusion, stored))).toBe(hex(reference.path(m, 0, n)));
    expect(hex(assembleProof(consistency, stored))).toBe(hex(reference.proof(from, 0, n, true)));
  }
  const leaves = await store.leaves(0, size);
  expect(leaves.map((l) => [l.leafIndex, l.position, l.hash.toString('hex')])).toEqual(
    events.slice(0, size).map((e, i) => [i, e.position, ReferenceTree.leafHash(entryBytes(logEntryOf(e))).toString('hex')]),
  );
  expect(await store.leavesAt([events[size - 1].position, '1:1'])).toEqual(new Map([[events[size - 1].position, size - 1]]));
}

function describeProjection(kind: string, open: () => Promise<{ sql: SqlClient; close(): Promise<void> }>) {
  describe(`log-tree projection (${kind})`, () => {
    let db: { sql: SqlClient; close(): Promise<void> };
    beforeEach(async () => {
      db = await open();
    });
    afterEach(() => db.close());

    it('keeps leaf hashes in the leaves and only the nodes of level 4 and up, and serves the reference proofs', async () => {
      const projection = new LogTreeProjection();
      await db.sql.exec(projection.ddl('public'));
      for (let at = 0, len = 1; at < events.length; at += len, len += 3) {
        await db.sql.transaction((tx) => projection.apply(tx, events.slice(at, at + len), 'public'));
      }
      const levels = await db.sql.query<{ level: number; count: number }>('SELECT level::int AS level, count(*)::int AS count FROM log_tree_nodes GROUP BY level ORDER BY level');
      expect(levels.rows).toEqual([{ level: 4, count: 9 }, { level: 5, count: 4 }, { level: 6, count: 2 }, { level: 7, count: 1 }]);
      await expectProofsOfReference(db.sql, events.length);
    });

    it('lists kept checkpoints by tree size as a number, across sizes of different digit counts', async () => {
      await db.sql.exec(new LogTreeProjection().ddl('public'));
      const store = new LogTreeStore(db.sql, 'public');
      for (const treeSize of [9, 84, 130, 1000]) await store.keep({ treeSize, rootHash: Buffer.alloc(32, treeSize % 256), origin: 'test', note: `note ${treeSize}` });
      expect((await store.checkpoints()).map((c) => c.treeSize)).toEqual([1000, 130, 84, 9]);
      expect((await store.checkpoints({ ascending: true })).map((c) => c.treeSize)).toEqual([9, 84, 130, 1000]);
      expect((await store.latestCheckpoint())?.treeSize).toBe(1000);
      expect((await store.checkpointAt(130))?.note).toBe('note 130');
      expect((await store.checkpoints({ atMost: 999, limit: 1 })).map((c) => c.treeSize)).toEqual([130]);
    });

    it('moves a tree of the every-node layout to this one in place, and goes on appending to it', async () => {
      await writeEveryNodeLayout(db.sql, 100);
      const projection = new LogTreeProjection();
      await db.sql.exec(projection.ddl('public'));
      await db.sql.exec(projection.ddl('public')); // every start runs it again
      const columns = await db.sql.query<{ column_name: string }>(
        `SELECT column_name FROM information_schema.columns WHERE table_name = 'log_tree_leaves' ORDER BY ordinal_position`,
      );
      expect(columns.rows.map((c) => c.column_name)).toEqual(['leaf_index', 'position', 'hash']);
      expect((await db.sql.query('SELECT count(*)::int AS n FROM log_tree_nodes WHERE level < 4')).rows[0].n).toBe(0);
      await expectProofsOfReference(db.sql, 100);
      await db.sql.transaction((tx) => projection.apply(tx, events.slice(100), 'public'));
      await expectProofsOfReference(db.sql, events.length);
    });
  });
}

describeProjection('PGlite', async () => {
  const sql = await PgliteSqlClient.open();
  return { sql, close: () => sql.close() };
});

if (testDatabaseUrl) {
  describeProjection('PostgreSQL', async () => {
    const scratch: ScratchDatabase = await createScratchDatabase('logtree');
    return { sql: scratch.client, close: () => scratch.drop() };
  });
}
