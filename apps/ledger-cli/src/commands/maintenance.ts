import { normalizeNumber } from '@ledger/domain/normalize';
import { LedgerError } from '@ledger/domain/errors';
import { numberStreamId } from '@ledger/domain/types';
import { SqlEventStore } from '@ledger/event-store/sql-event-store';
import { purgeDeletedNumbers } from '@ledger/projections/inventory/projection';
import { InventoryQueries } from '@ledger/projections/inventory/queries';
import { Projector } from '@ledger/projections/projector';
import { AccountTree } from '../../../ledger/src/accounts/account-tree';
import { NumberCommandRunner } from '../../../ledger/src/numbers/command-runner/number-command-runner';
import { CliIo } from '../cli-io';
import { CliError, LedgerSession } from '../ledger-session';
import { failureLine } from '@ledger/projections/projection-failure';

/**
 * `rebuild-projections`: drops every read-model row and replays the whole log (stop the service
 * first). A projection that cannot apply an event stops there, the others are rebuilt; the
 * event is named and the exit code is 1.
 */
export async function rebuildProjections(session: LedgerSession, io: CliIo): Promise<number> {
  const projector = session.get(Projector);
  const stores = session.stores;
  const total = stores.events instanceof SqlEventStore
    ? Number((await stores.sql.query<{ n: number }>('SELECT count(*) AS n FROM ledger_events')).rows[0].n)
    : 0;
  const bar = io.progress();
  bar.start(total, 'rebuilding');
  const applied = await projector.rebuild((n) => bar.update(n, Math.max(total, n)));
  // The count included streams the read models do not follow: end the bar at what was applied.
  bar.update(applied, applied);
  bar.stop();
  await session.get(AccountTree).reload();
  const failures = projector.failures;
  const failed = new Set(failures.map((f) => f.projection));
  const rebuilt = projector.projections.filter((p) => !p.followsOnly && !failed.has(p.name)).map((p) => p.name);
  io.out(`rebuilt ${rebuilt.join(', ')} from ${applied} events (up to ${projector.checkpoint})`);
  if (failures.length === 0) return 0;
  throw new CliError(`${failures.map((f) => f.projection).join(', ')} could not be rebuilt: ${failures.map(failureLine).join('; ')} (see docs/projections.md)`, 1);
}

/** `history NUMBER`: every event of the number, oldest first. */
export async function history(session: LedgerSession, io: CliIo, raw: string): Promise<number> {
  let e164: string;
  try {
    e164 = normalizeNumber(raw);
  } catch {
    throw new CliError(`${raw} is not a phone number`);
  }
  const events = await session.stores.events.readStream(numberStreamId(e164));
  if (events.length === 0) throw new CliError(`no history for ${e164}`, 1);
  for (const e of events) {
    io.out(JSON.stringify({ position: e.position, revision: e.revision, type: e.type, recordedAt: e.recordedAt.toISOString(), data: e.data, metadata: e.metadata }));
  }
  return 0;
}

/** `purge-discovery`: expires every discovery entry now (through the ordinary write path). */
export async function purgeDiscovery(session: LedgerSession, io: CliIo): Promise<number> {
  const rows = await new InventoryQueries(session.stores.sql, session.get(Projector).schema).discoveries();
  let purged = 0;
  let failed = 0;
  let last: string | null = null;
  for (const { number } of rows) {
    try {
      const outcome = await session.get(NumberCommandRunner).run(number, { type: 'ExpireDiscovery', force: true }, { requester: session.requester(), correlationId: 'cli-purge-discovery' });
      if (outcome.events.length > 0) purged++;
      last = outcome.position ?? last;
    } catch (err) {
      if (!(err instanceof LedgerError)) throw err;
      failed++;
      io.err(`${number}: ${err.code}: ${err.detail}`);
    }
  }
  await session.settle(last);
  io.out(JSON.stringify({ purged, failed }));
  return failed === 0 ? 0 : 3;
}

/**
 * `purge-deleted`: removes deleted numbers from the inventory read model. Their history
 * stays in the ledger (`history NUMBER`); `verify` treats a deleted row and no row alike.
 */
export async function purgeDeleted(session: LedgerSession, io: CliIo): Promise<number> {
  io.out(JSON.stringify({ purged: await purgeDeletedNumbers(session.stores.sql, session.get(Projector).schema) }));
  return 0;
}
