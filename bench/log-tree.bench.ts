import { LogTreeProjection } from '../apps/ledger/src/log/log-tree.projection';
import { LogTreeStore } from '../apps/ledger/src/log/log-tree.store';
import { RecordedEvent } from '@ledger/event-store/port';
import { entryBytes, leafHash, logEntryOf } from '@ledger/log-tree';
import { PgSqlClient } from '@ledger/sql/pg-sql-client';
import { BenchContext, BenchResult, percentile } from './bench-kit';

/**
 * The log tree on PostgreSQL: leaves added per second when a bulk import's events arrive in
 * projector batches of 1,000 (1,000,000 at scale 1), beside the raw rate of hashing the same
 * entries in process; and inclusion-proof latency p99 over the full tree, beside a plain
 * indexed single-row SELECT on the same server.
 */
export default async function logTreeBench(ctx: BenchContext): Promise<BenchResult> {
  const total = Math.max(1000, Math.round(1_000_000 * ctx.scale));
  const sql = new PgSqlClient(await ctx.scratchDatabase('logtree'));
  const projection = new LogTreeProjection();
  await sql.exec(projection.ddl('public'));
  const event = (i: number): RecordedEvent => ({
    streamId: `number-+1415${String(i).padStart(7, '0')}`, revision: 0, position: `${1000 + Math.floor(i / 1000)}:${i}`,
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, type: 'NumberAdded.v1',
    data: { number: `+1415${String(i).padStart(7, '0')}`, state: 'available', carrierModule: 'knm_inventory' },
    metadata: { actor: 'system', command: 'AddNumber' }, recordedAt: new Date(1_767_225_600_000 + i),
  });

  let hashStart = performance.now();
  for (let i = 0; i < Math.min(total, 200_000); i++) leafHash(entryBytes(logEntryOf(event(i))));
  const hashRate = Math.min(total, 200_000) / ((performance.now() - hashStart) / 1000);

  hashStart = performance.now();
  for (let at = 0; at < total; at += 1000) {
    const batch = Array.from({ length: Math.min(1000, total - at) }, (_, k) => event(at + k));
    await sql.transaction((tx) => projection.apply(tx, batch, 'public'));
    if (at % 100_000 === 0) ctx.log(`${at} leaves`);
  }
  const leafRate = total / ((performance.now() - hashStart) / 1000);

  const store = new LogTreeStore(sql, 'public');
  const proofMs: number[] = [];
  const selectMs: number[] = [];
  for (let i = 0; i < 2000; i++) {
    const leaf = Math.floor(Math.random() * total);
    let t = performance.now();
    await store.inclusionProof(leaf, total);
    proofMs.push(performance.now() - t);
    t = performance.now();
    await sql.query('SELECT position FROM log_tree_leaves WHERE leaf_index = $1', [leaf]);
    selectMs.push(performance.now() - t);
  }
  await sql.close();
  const proofP99 = percentile(proofMs, 99);
  const selectP99 = percentile(selectMs, 99);
  return {
    benchmark: 'log-tree',
    figures: [
      { name: `leaves added, batches of 1,000 (${total} events)`, value: leafRate, unit: 'leaves/s', reference: { name: 'SHA-256 leaf hashing of the same entries, in process', value: hashRate }, ratio: leafRate / hashRate },
      { name: `inclusion proof p99 (tree of ${total})`, value: proofP99, unit: 'ms', reference: { name: 'indexed single-row SELECT p99', value: selectP99 }, ratio: proofP99 / selectP99, extra: { p50: percentile(proofMs, 50) } },
    ],
  };
}
