import { LedgerError } from '@ledger/domain/errors';
import { FIXES, type ReconciliationFix } from '../../../ledger/src/carriers/reconciliation/reconcile-carrier';
import { CarrierReconciliations } from '../../../ledger/src/carriers/reconciliation/carrier-reconciliations';
import { CliIo } from '../cli-io';
import { CliError, LedgerSession } from '../ledger-session';

export interface ReconcileOptions {
  fix?: string;
  account?: string;
  as?: string;
}

const PROGRESS_MS = 500;

/**
 * `reconcile-carriers [MODULE] [--fix disconnect_released_upstream] [--account RESELLER]`:
 * compares each carrier's own list of numbers with the ledger (docs/carriers.md), prints
 * progress on stderr while it pages, then the reports as JSON. Exit 1 when a run failed.
 */
export async function reconcileCarriers(session: LedgerSession, io: CliIo, module: string | undefined, options: ReconcileOptions): Promise<number> {
  const fix = options.fix ? options.fix.split(',').map((f) => f.trim()).filter(Boolean) : [];
  const unknown = fix.filter((f) => !(FIXES as readonly string[]).includes(f));
  if (unknown.length) throw new CliError(`unknown fix ${unknown.join(', ')} (known: ${FIXES.join(', ')})`);
  const requester = session.requester(options.as);
  const reconciliations = session.get(CarrierReconciliations);
  try {
    const { runs } = await reconciliations.start({ module, accountId: options.account, fix: fix as ReconciliationFix[] }, requester, true);
    const done = [];
    for (const started of runs) {
      let run = await reconciliations.get(started.id, requester);
      while (run.status === 'running') {
        io.err(`${run.module}: ${run.progress.upstreamSeen} upstream numbers read (${run.progress.pages} pages)`);
        await new Promise((resolve) => setTimeout(resolve, PROGRESS_MS));
        run = await reconciliations.get(started.id, requester);
      }
      done.push(run);
    }
    io.out(JSON.stringify(done, null, 2));
    return done.some((r) => r.status === 'failed') ? 1 : 0;
  } catch (err) {
    if (err instanceof LedgerError) throw new CliError(`${err.code}: ${err.detail}`, 1);
    throw err;
  }
}
