import { assembleProof, Hash, planConsistency, planInclusion, planRoot } from '@ledger/log-tree';
import { SqlExecutor } from '@ledger/sql/sql-client';
import { asHash, readHead, readNodes, TreeHead } from './log-tree-reads';
import { LOG_TREE_TABLES } from './log-tree.projection';

export interface LeafPlace {
  leafIndex: number;
  position: string;
}

export interface KeptCheckpoint {
  treeSize: number;
  rootHash: Hash;
  origin: string;
  note: string;
  signedAt: Date;
}

/** A proof asked for a tree larger than the one stored, or for a leaf outside it. */
export class ProofRangeError extends Error {}

/** Reads of the log tree: heads, leaf places, proofs (one indexed read each), kept checkpoints. */
export class LogTreeStore {
  constructor(private readonly sql: SqlExecutor, private readonly schema: string) {}

  head(): Promise<TreeHead> {
    return readHead(this.sql, this.schema);
  }

  /** Leaf index of each position that the tree holds. */
  async leavesAt(positions: string[]): Promise<Map<string, number>> {
    const r = await this.sql.query<{ position: string; leaf_index: string }>(
      `SELECT position, leaf_index::text AS leaf_index FROM ${this.schema}.${LOG_TREE_TABLES.leaves} WHERE position = ANY($1::text[])`,
      [positions],
    );
    return new Map(r.rows.map((row) => [row.position, Number(row.leaf_index)]));
  }

  /** Leaves [from, from + count) with their positions and hashes, in order (verify-log). */
  async leaves(from: number, count: number): Promise<Array<LeafPlace & { hash: Hash }>> {
    const r = await this.sql.query<{ leaf_index: string; position: string; hash: Uint8Array }>(
      `SELECT l.leaf_index::text AS leaf_index, l.position, l.hash FROM ${this.schema}.${LOG_TREE_TABLES.leaves} l
       WHERE l.leaf_index >= $1 AND l.leaf_index < $2 ORDER BY l.leaf_index`,
      [from, from + count],
    );
    return r.rows.map((row) => ({ leafIndex: Number(row.leaf_index), position: row.position, hash: asHash(row.hash) }));
  }

  async inclusionProof(leafIndex: number, treeSize: number): Promise<Hash[]> {
    await this.checkSize(treeSize);
    if (!(leafIndex >= 0 && leafIndex < treeSize)) throw new ProofRangeError(`leaf ${leafIndex} is not in a tree of ${treeSize}`);
    const plan = planInclusion(leafIndex, treeSize);
    return assembleProof(plan, await readNodes(this.sql, this.schema, plan.nodes));
  }

  async consistencyProof(from: number, to: number): Promise<Hash[]> {
    await this.checkSize(to);
    if (!(from >= 1 && from <= to)) throw new ProofRangeError(`no consistency proof from ${from} to ${to}: 1 <= from <= to`);
    const plan = planConsistency(from, to);
    return assembleProof(plan, await readNodes(this.sql, this.schema, plan.nodes));
  }

  /** The root of the tree's first `size` leaves, from stored nodes. */
  async rootAt(size: number): Promise<Hash> {
    const head = await this.checkSize(size);
    if (size === head.size) return head.rootHash;
    const plan = planRoot(size);
    return assembleProof(plan, await readNodes(this.sql, this.schema, plan.nodes))[0];
  }

  private async checkSize(size: number): Promise<TreeHead> {
    const head = await this.head();
    if (!(Number.isSafeInteger(size) && size >= 0 && size <= head.size)) {
      throw new ProofRangeError(`the tree has ${head.size} leaves; no proof for a tree of ${size}`);
    }
    return head;
  }

  async latestCheckpoint(): Promise<KeptCheckpoint | null> {
    return (await this.checkpoints({ limit: 1 }))[0] ?? null;
  }

  async checkpointAt(size: number): Promise<KeptCheckpoint | null> {
    return (await this.checkpoints({ limit: 1, atMost: size })).find((c) => c.treeSize === size) ?? null;
  }

  /** Kept checkpoints, newest (largest) first; `atMost` pages down; `ascending` for audits. */
  async checkpoints(options: { limit?: number; atMost?: number; ascending?: boolean } = {}): Promise<KeptCheckpoint[]> {
    const r = await this.sql.query<{ tree_size: string; root: string; origin: string; note: string; signed_at: Date | string }>(
      // Ordered by the column, not by the text the select list makes of it ("84" sorts after "130").
      `SELECT c.tree_size::text AS tree_size, encode(c.root_hash, 'hex') AS root, c.origin, c.note, c.signed_at
       FROM ${this.schema}.${LOG_TREE_TABLES.checkpoints} c
       WHERE ($1::bigint IS NULL OR c.tree_size <= $1::bigint)
       ORDER BY c.tree_size ${options.ascending ? 'ASC' : 'DESC'} LIMIT $2`,
      [options.atMost ?? null, options.limit ?? null],
    );
    return r.rows.map((row) => ({
      treeSize: Number(row.tree_size),
      rootHash: Buffer.from(row.root, 'hex'),
      origin: row.origin,
      note: row.note,
      signedAt: row.signed_at instanceof Date ? row.signed_at : new Date(row.signed_at),
    }));
  }

  /** Keeps a signed checkpoint; the first one kept for a size stays. */
  async keep(checkpoint: Omit<KeptCheckpoint, 'signedAt'>): Promise<void> {
    await this.sql.query(
      `INSERT INTO ${this.schema}.${LOG_TREE_TABLES.checkpoints} (tree_size, root_hash, origin, note)
       VALUES ($1, decode($2, 'hex'), $3, $4) ON CONFLICT (tree_size) DO NOTHING`,
      [checkpoint.treeSize, checkpoint.rootHash.toString('hex'), checkpoint.origin, checkpoint.note],
    );
  }
}
