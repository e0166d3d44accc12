import { parentPort, workerData } from 'node:worker_threads';
import { appendSignalFor } from '@ledger/event-store/append-signal';
import { comparePositions } from '@ledger/event-store/port';
import { SqlEventStore } from '@ledger/event-store/sql-event-store';
import { cacheWatcher, Projection } from '@ledger/projections/projection';
import { Projector } from '@ledger/projections/projector';
import { LEDGER_UPCASTERS } from '@ledger/projections/upcasters';
import { PgSqlClient } from '@ledger/sql/pg-sql-client';
import type { ProjectorThreadCommand, ProjectorThreadData, ProjectorThreadMessage } from './core/projector-thread';
import { readModelProjections } from './core/read-models';
import { LogTreeProjection } from './log/log-tree.projection';

/**
 * What the number queries read (their minPosition waits name them) follows the log on its
 * own, in small transactions, ahead of the heavier rest (billing, the log tree, ...): each
 * projection has its own checkpoint, so two projectors over the same log stay exact.
 * Accounts come along: listings join them and the account tree (a cache) follows them.
 */
const AHEAD = ['inventory', 'accounts'];

/**
 * The projector thread (core/projector-thread.ts): the service's read models and the log
 * tree, followed from their checkpoints with connections of its own; after each batch the
 * service's thread hears what was applied.
 */
async function follow(port: NonNullable<typeof parentPort>, data: ProjectorThreadData): Promise<void> {
  const send = (m: ProjectorThreadMessage) => port.postMessage(m);
  const sql = new PgSqlClient(data.databaseUrl, { max: 3 });
  const store = new SqlEventStore(sql, { batchSize: 10000, coalesceMs: data.coalesceMs });
  const projections: Projection[] = [...readModelProjections(), new LogTreeProjection()];
  const projectors: Projector[] = [];
  const reached = () => projectors.map((p) => p.checkpoint).reduce((a, b) => (comparePositions(a, b) <= 0 ? a : b));
  // The caches hear each batch once, from the projector ahead (it applies the accounts they follow).
  const relay = (carriesEvents: boolean) => cacheWatcher('projector-thread', (events) => send({
    kind: 'applied',
    applied: { events: carriesEvents ? events : [], statuses: projectors.flatMap((p) => p.statuses), position: reached() },
  }));
  const projectorOf = (group: Projection[], carriesEvents: boolean) => new Projector(store, sql, [...group, relay(carriesEvents)], {
    schema: data.schema,
    upcasters: LEDGER_UPCASTERS,
    onError: (err) => send({ kind: 'error', error: err instanceof Error ? err.message : String(err) }),
  });
  projectors.push(
    projectorOf(projections.filter((p) => AHEAD.includes(p.name)), true),
    projectorOf(projections.filter((p) => !AHEAD.includes(p.name)), false),
  );
  const signal = appendSignalFor(sql);
  port.on('message', (c: ProjectorThreadCommand) => {
    if (c === 'appended') signal.notify();
    else void stop();
  });
  const stop = async () => {
    await Promise.all(projectors.map((p) => p.stop()));
    await store.close();
    await sql.close();
    port.close();
  };
  for (const p of projectors) await p.migrate();
  for (const p of projectors) p.start();
}

if (parentPort) void follow(parentPort, workerData as ProjectorThreadData);
