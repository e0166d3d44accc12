import { LogTreeProjection } from '../apps/ledger/src/log/log-tree.projection';
import { LogTreeStore } from '../apps/ledger/src/log/log-tree.store';
import { RecordedEvent } from '@ledger/event-store/port';
import { entryText, leafHash, logEntryOf } from '@ledger/log-tree';
import { PgSqlClient } from '@ledger/sql/pg-sql-client';
import { SqlExecutor } from '@ledger/sql/sql-client';
import { BenchContext, BenchResult, percentile } from './bench-kit';
import { backendCpuMs } from './backend-cpu';

/**
 * The log tree on PostgreSQL: leaves added per second when a bulk import's events arrive in
 * projector batches of 1,000 (1,000,000 at scale 1), with the Node and PostgreSQL backend CPU
 * each leaf costs, beside the raw rate of hashing the same entries in process; and
 * inclusion-proof latency p99 over the full tree, beside a plain indexed single-row SELECT on
 * the same server. The events are what the projector gets from the store: data and metadata
 * parsed from jsonb text (keys in jsonb's order, not sorted).
 */
export default async function logTreeBench(ctx: BenchContext): Promise<BenchResult> {
  const total = Math.max(1000, Math.round(1_000_000 * ctx.scale));
  const sql = new PgSqlClient(await ctx.scratchDatabase('logtree'));
  const projection = new LogTreeProjection();
  await sql.exec(projection.ddl('public'));

  const hashed = Math.min(total, 200_000);
  let hashCpuUs = 0;
  for (let at = 0; at < hashed; at += 1000) {
    const batch = Array.from({ length: Math.min(1000, hashed - at) }, (_, k) => importedEvent(at + k));
    const cpu = process.cpuUsage();
    for (const event of batch) leafHash(entryText(logEntryOf(event)));
    hashCpuUs += cpuUs(process.cpuUsage(cpu));
  }
  const hashRate = hashed / (hashCpuUs / 1e6);
  hashCpuUs /= hashed;

  const before = await backendCpuMs(sql);
  let nodeCpuUs = 0;
  const started = performance.now();
  for (let at = 0; at < total; at += 1000) {
    const batch = Array.from({ length: Math.min(1000, total - at) }, (_, k) => importedEvent(at + k));
    const cpu = process.cpuUsage();
    await sql.transaction((tx) => projection.apply(tx, batch, 'public'));
    nodeCpuUs += cpuUs(process.cpuUsage(cpu));
    if (at % 100_000 === 0) ctx.log(`${at} leaves`);
  }
  const leafRate = total / ((performance.now() - started) / 1000);
  const after = await backendCpuMs(sql);
  const postgresCpuUs = after && before ? [...after].reduce((sum, [pid, ms]) => sum + ms - (before.get(pid) ?? 0), 0) * 1000 : null;
  const bytes = await tableBytes(sql, projection.tables.map((t) => t.name));

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
      {
        name: `leaves added, batches of 1,000 (${total} events)`, value: leafRate, unit: 'leaves/s',
        reference: { name: 'canonical entry and SHA-256 leaf hash of the same entries, in process, per CPU second', value: hashRate }, ratio: leafRate / hashRate,
        extra: {
          node_cpu_us_per_leaf: nodeCpuUs / total,
          postgres_cpu_us_per_leaf: postgresCpuUs === null ? 'n/a' : postgresCpuUs / total,
          entry_and_hash_cpu_us: hashCpuUs,
          table_bytes_per_leaf: bytes / total,
        },
      },
      { name: `inclusion proof p99 (tree of ${total})`, value: proofP99, unit: 'ms', reference: { name: 'indexed single-row SELECT p99', value: selectP99 }, ratio: proofP99 / selectP99, extra: { p50: percentile(proofMs, 50) } },
    ],
  };
}

/** A NumberAdded event of the bulk import as the store hands it to projections. */
function importedEvent(i: number): RecordedEvent {
  const number = `+1415${String(i).padStart(7, '0')}`;
  const at = new Date(1_767_225_600_000 + i).toISOString();
  return {
    streamId: `number-${number}`, revision: 0, position: `${1000 + Math.floor(i / 1000)}:${i % 1000}`,
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, type: 'NumberAdded.v1',
    data: JSON.parse(`{"at": "${at}", "from": null, "state": "available", "number": "${number}", "features": {}, "agingUntil": null, "assignedTo": null, "carrierModule": "knm_inventory", "poolAccountId": null, "prevAssignedTo": null, "reserveHistory": []}`) as RecordedEvent['data'],
    metadata: JSON.parse('{"actor": "system", "command": "ImportNumbers", "taskId": "bench"}') as RecordedEvent['metadata'],
    recordedAt: new Date(1_767_225_600_000 + i),
  };
}

const cpuUs = (used: NodeJS.CpuUsage) => used.user + used.system;

async function tableBytes(sql: SqlExecutor, tables: string[]): Promise<number> {
  const r = await sql.query<{ bytes: string }>('SELECT sum(pg_total_relation_size(t::regclass))::text AS bytes FROM unnest($1::text[]) AS t', [tables]);
  return Number(r.rows[0].bytes);
}

