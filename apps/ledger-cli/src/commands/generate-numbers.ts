import { Readable } from 'node:stream';
import { LedgerError } from '@ledger/domain/errors';
import { normalizeNumber } from '@ledger/domain/normalize';
import { consecutiveNumbers } from '../../../ledger/src/numbers/generate/consecutive-numbers';
import { csvLine } from '../../../ledger/src/core/csv-line';
import { AccountTree } from '../../../ledger/src/accounts/account-tree';
import { CliIo } from '../cli-io';
import { CliError, LedgerSession } from '../ledger-session';
import { runTask, TaskRunOptions } from './run-task';

const MODULES = { managed: 'knm_managed', inum: 'knm_inum' } as const;

/**
 * `generate-numbers managed|inum ACCOUNT START COUNT` (SPEC 4): COUNT consecutive numbers from
 * START, `available` in ACCOUNT's pool. Runs as an import task, so it is as fast, resumable
 * and reported as any import.
 */
export async function generateNumbers(
  session: LedgerSession, io: CliIo, kind: string, account: string, start: string, count: string, options: TaskRunOptions,
): Promise<number> {
  if (!Object.hasOwn(MODULES, kind)) throw new CliError(`generate-numbers takes managed or inum, not ${JSON.stringify(kind.slice(0, 64))}`);
  const module = MODULES[kind as keyof typeof MODULES];
  if (!session.get(AccountTree).get(account)) throw new CliError(`unknown account ${JSON.stringify(account.slice(0, 128))}`);
  // Digits only: Number() would also take 1e3 and 0x10.
  const n = /^\d{1,8}$/.test(count) ? Number(count) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > 10_000_000) throw new CliError('COUNT must be an integer from 1 to 10,000,000');
  let first: string;
  try {
    first = normalizeNumber(start);
  } catch {
    throw new CliError(`START ${start} is not a phone number`);
  }
  let range: Iterable<string>;
  try {
    range = consecutiveNumbers(first, n);
  } catch (err) {
    throw new CliError(err instanceof LedgerError ? err.detail : String(err));
  }
  const rows = function* () {
    yield 'e164,account_id,state,carrier_module\n';
    let batch = '';
    let i = 0;
    for (const number of range) {
      batch += csvLine([number, account, 'available', module]);
      if (++i % 10_000 === 0) {
        yield batch;
        batch = '';
      }
    }
    if (batch) yield batch;
  };
  return runTask(session, io, 'import', Readable.from(rows()), options);
}
