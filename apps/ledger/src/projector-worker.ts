import { parentPort, workerData } from 'node:worker_threads';
import { appendSignalFor } from '@ledger/event-store/append-signal';
import { SqlEventStore } from '@ledger/event-store/sql-event-store';
import { cacheWatcher } from '@ledger/projections/projection';
import { FOLLOW_BATCH, Projector } from '@ledger/projections/projector';
import { LEDGER_UPCASTERS } from '@ledger/projections/upcasters';
import { PgSqlClient } from '@ledger/sql/pg-sql-client';
import { isWatched } from './core/cache-watchers';
import type { ProjectorThreadCommand, ProjectorThreadData, ProjectorThreadMessage } from './core/projector-thread';
import { FIRST_LANES, readModelProjections } from './core/read-models';
import { LogTreeProjection } from './log/log-tree.projection';

/**
 * The projector thread (core/projector-thread.ts): the service's read models and the log
 * tree, followed from their checkpoints with connections of its own; the service's thread
 * hears what was applied, the first lanes (inventory) as soon as they commit. One projector,
 * reading once per batch: a second projector (inventory and accounts ahead of the rest) was
 * tried and made the lag worse, because the log is read only below the oldest running
 * transaction (sql/read-statements.ts), so each projector's open batch hid the log from the
 * other. The first lanes' transaction and the others' both end before the next read.
 */
async function follow(port: NonNullable<typeof parentPort>, data: ProjectorThreadData): Promise<void> {
  const send = (m: ProjectorThreadMessage) => port.postMessage(m);
  const sql = new PgSqlClient(data.databaseUrl, { max: 2 });
  const store = new SqlEventStore(sql, { batchSize: FOLLOW_BATCH, coalesceMs: data.coalesceMs });
  // Only what the service thread's caches watch crosses over: copying every number event cost this thread more than some projections.
  const relay = cacheWatcher('projector-thread', (events) =>
    send({ kind: 'applied', applied: { events: events.filter(isWatched), statuses: projector.statuses, position: projector.checkpoint } }));
  const projector: Projector = new Projector(store, sql, [...readModelProjections(), new LogTreeProjection(), relay], {
    schema: data.schema,
    upcasters: LEDGER_UPCASTERS,
    firstLanes: FIRST_LANES,
    onLanesApplied: (statuses) => send({ kind: 'applied', applied: { events: [], statuses, position: projector.checkpoint } }),
    onError: (err) => send({ kind: 'error', error: err instanceof Error ? err.message : String(err) }),
  });
  const signal = appendSignalFor(sql);
  port.on('message', (c: ProjectorThreadCommand) => {
    if (c === 'appended') signal.notify();
    else void stop();
  });
  const stop = async () => {
    await projector.stop();
    await store.close();
    await sql.close();
    port.close();
  };
  await projector.migrate();
  projector.start();
}

if (parentPort) void follow(parentPort, workerData as ProjectorThreadData);
