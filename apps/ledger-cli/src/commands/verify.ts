import { randomBytes } from 'node:crypto';
import { comparePositions, LogPosition } from '@ledger/event-store/port';
import { LEDGER_STREAM_PREFIXES } from '@ledger/projections/projection';
import { Projector } from '@ledger/projections/projector';
import { failureLine, ProjectionFailure } from '@ledger/projections/projection-failure';
import { SqlEventStore } from '@ledger/event-store/sql-event-store';
import { CliIo } from '../cli-io';
import { LedgerSession } from '../ledger-session';

const SHOWN = 20;

interface TableDiff {
  table: string;
  differing: number;
  sample: Array<{ key: Record<string, unknown>; live: unknown; rebuilt: unknown }>;
}

/**
 * `verify`: replays the whole log into shadow tables (a scratch schema) with the same
 * projections, up to the live checkpoint, and compares every table row by row, projection by
 * projection. Exit code 0 when they match, 1 when they differ or a projection cannot apply
 * an event (named with its position, id, type and error). The live tables are not touched.
 */
export async function verify(session: LedgerSession, io: CliIo): Promise<number> {
  const live = session.get(Projector);
  const stores = session.stores;
  await session.settle(null);
  const target = live.checkpoint;
  const schema = `verify_${randomBytes(4).toString('hex')}`;
  const shadow = new Projector(stores.events, stores.sql, live.projections, { schema, upcasters: live.upcasters });
  try {
    await shadow.migrate();
    await replayUntil(shadow, session, target, io);
    const failures = new Map<string, ProjectionFailure>();
    for (const f of [...live.failures, ...shadow.failures]) if (!failures.has(f.projection)) failures.set(f.projection, f);
    let bad = failures.size;
    const compared = live.projections.filter((x) => x.tables.length > 0);
    const bar = io.progress();
    bar.start(compared.reduce((n, p) => n + p.tables.length, 0), 'comparing');
    let done = 0;
    for (const p of compared) {
      const diffs: TableDiff[] = [];
      for (const t of p.tables) {
        diffs.push(await compare(session, live.schema, schema, t));
        bar.update(++done);
      }
      const differing = diffs.filter((d) => d.differing > 0);
      for (const d of diffs) io.out(`${d.table}: ${d.differing === 0 ? 'matches' : `${d.differing} rows differ`}`);
      for (const d of differing) for (const sample of d.sample) io.out(JSON.stringify({ table: d.table, ...sample }));
      const failure = failures.get(p.name);
      if (failure) io.out(`projection ${p.name}: FAILING: ${failureLine(failure)}`);
      else io.out(`projection ${p.name}: ${differing.length === 0 ? 'matches' : 'differs'}`);
      if (!failure && differing.length > 0) bad++;
    }
    bar.stop();
    io.out(bad === 0 ? `read models match the log (up to ${target})` : `read models differ from the log (up to ${target})`);
    return bad === 0 ? 0 : 1;
  } finally {
    await stores.sql.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  }
}

async function replayUntil(shadow: Projector, session: LedgerSession, target: LogPosition, io: CliIo): Promise<void> {
  const events = session.stores.events;
  const bar = io.progress();
  // The SQL stores count their events (an estimate: it includes streams the read models skip); EventStoreDB does not.
  const total = events instanceof SqlEventStore
    ? Number((await session.stores.sql.query<{ n: number }>('SELECT count(*) AS n FROM ledger_events')).rows[0].n)
    : 0;
  bar.start(total, 'replaying');
  let applied = 0;
  for (;;) {
    const batch = (await events.readAll(shadow.checkpoint, 1000, { streamPrefixes: LEDGER_STREAM_PREFIXES }))
      .filter((e) => comparePositions(e.position, target) <= 0);
    if (batch.length === 0) break;
    await shadow.applyBatch(batch);
    applied += batch.length;
    bar.update(applied, Math.max(total, applied));
  }
  bar.update(applied, applied);
  bar.stop();
}

/**
 * Rows whose content differs, or that exist on one side only. A deleted number and an
 * absent one are the same for the inventory (`purge-deleted` removes deleted rows).
 */
async function compare(session: LedgerSession, liveSchema: string, shadowSchema: string, t: { name: string; key: string }): Promise<TableDiff> {
  const keys = t.key.split(',').map((k) => k.trim());
  const deletedIsAbsent = t.name === 'inventory'
    ? `AND NOT (l.number IS NULL AND r.state = 'deleted') AND NOT (r.number IS NULL AND l.state = 'deleted')`
    : '';
  const { rows } = await session.stores.sql.query<{ key: Record<string, unknown>; live: unknown; rebuilt: unknown; n: number }>(
    `SELECT jsonb_build_object(${keys.map((k) => `'${k}', coalesce(l.${k}, r.${k})`).join(', ')}) AS key,
            to_jsonb(l) AS live, to_jsonb(r) AS rebuilt, count(*) OVER () AS n
     FROM ${liveSchema}.${t.name} l FULL JOIN ${shadowSchema}.${t.name} r USING (${keys.join(', ')})
     WHERE to_jsonb(l) IS DISTINCT FROM to_jsonb(r) ${deletedIsAbsent}
     LIMIT ${SHOWN}`,
  );
  return { table: t.name, differing: rows.length ? Number(rows[0].n) : 0, sample: rows.map(({ key, live, rebuilt }) => ({ key, live, rebuilt })) };
}
