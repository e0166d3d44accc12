import { AuditRunner, auditOptionsFromEnv } from '../../../ledger/src/audits/audit-runner';
import { readAudit } from '../../../ledger/src/audits/audit-view';
import { LedgerError } from '@ledger/domain/errors';
import { Projector } from '@ledger/projections/projector';
import { NumberCommandRunner } from '../../../ledger/src/numbers/command-runner/number-command-runner';
import { requireAccountAccess } from '../../../ledger/src/accounts/account-access';
import { AccountTree } from '../../../ledger/src/accounts/account-tree';
import { StartAuditDto } from '../../../ledger/src/audits/start-audit/start-audit';
import { validatedDto } from '../../../ledger/src/core/validated-dto';
import { CliIo } from '../cli-io';
import { CliError, LedgerSession } from '../ledger-session';

/** `audit ACCOUNT [--level customer|site] [--sites a,b]` (SPEC 7): runs the audit here and prints its report. */
export async function audit(session: LedgerSession, io: CliIo, accountId: string, options: { level?: string; sites?: string; limit?: string }): Promise<number> {
  const level = options.level ?? 'customer';
  if (level !== 'customer' && level !== 'site') throw new CliError('--level is customer or site');
  const siteIds = options.sites ? options.sites.split(',').map((s) => s.trim()).filter(Boolean) : undefined;
  // Checked as POST /v1/audits checks them, before anything is recorded.
  checkedRequest({ accountId, level, siteIds }, session);
  const limit = /^\d{1,4}$/.test(options.limit ?? '100') ? Number(options.limit ?? 100) : NaN;
  if (!(limit >= 1 && limit <= 1000)) throw new CliError('--limit is a whole number from 1 to 1000');
  const runner = new AuditRunner(session.stores.sql, session.stores.events, session.get(Projector), session.get(NumberCommandRunner), { ...auditOptionsFromEnv(), syncLimit: Number.MAX_SAFE_INTEGER, log: (m) => io.err(m) });
  try {
    const started = await runner.start({ accountId, level, siteIds }, session.requester(), 'cli-audit');
    await runner.settled(started.id);
    await session.settle(null);
    const view = await readAudit(session.stores.sql, session.get(Projector).schema, started.id, limit);
    io.out(JSON.stringify(view, null, 2));
    return 0;
  } catch (err) {
    if (err instanceof LedgerError) throw new CliError(`${err.code}: ${err.detail}`, 1);
    throw err;
  }
}

/** The request as StartAuditDto validates it (and the domain's text checks), and the account as the handler requires it. */
function checkedRequest(request: { accountId: string; level: string; siteIds?: string[] }, session: LedgerSession): void {
  try {
    validatedDto(StartAuditDto, request, (fault) => new CliError(fault));
    requireAccountAccess(session.get(AccountTree), session.requester(), request.accountId);
  } catch (err) {
    throw err instanceof LedgerError ? new CliError(`${err.code}: ${err.detail}`) : err;
  }
}
