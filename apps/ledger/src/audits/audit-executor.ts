import { MOVABLE_STATES } from '@ledger/domain/audit/audit-rules';
import { LedgerError } from '@ledger/domain/errors';
import { AuditFinding } from '@ledger/domain/audit/events';
import { RequestContext } from '../core/request-context';
import { NumberCommandRunner } from '../numbers/command-runner/number-command-runner';

/**
 * Brings one number to what its finding planned, through the number command
 * runner (optimistic concurrency, one event per change, audit id in the
 * metadata). Safe to repeat: every step is decided on the number's current
 * state, so re-applying a chunk after a restart changes nothing twice.
 */
export class AuditExecutor {
  constructor(private readonly runner: NumberCommandRunner) {}

  async apply(f: AuditFinding, meta: RequestContext): Promise<void> {
    if (f.action === 'none') return;
    if (f.action === 'add') await this.ensureAdded(f, meta);
    if (f.action === 'move') await this.ensureInService(f, meta);
    // SetUsage decides nothing when the usage is already exact.
    await this.runner.run(f.number, { type: 'SetUsage', usedBy: f.usedBy }, meta);
  }

  private async ensureAdded(f: AuditFinding, meta: RequestContext): Promise<void> {
    try {
      await this.runner.run(f.number, { type: 'AddNumber', state: 'in_service', accountId: f.accountId! }, meta);
    } catch (err) {
      // Created meanwhile (or by this audit before a restart): treat it as an existing number.
      if (!(err instanceof LedgerError && err.code === 'number_exists')) throw err;
      await this.ensureInService(f, meta);
    }
  }

  private async ensureInService(f: AuditFinding, meta: RequestContext): Promise<void> {
    let record = await this.runner.load(f.number);
    if (record.state === 'in_service' && record.assignedTo === f.accountId) return;
    if (record.state === 'released') {
      // `released` has no move to in_service (SPEC 2): release it on through the lifecycle first.
      record = (await this.runner.run(f.number, { type: 'ReleaseNumber' }, meta)).record;
    }
    // Never take a number that is now in service (or porting) for someone else.
    if (!MOVABLE_STATES.includes(record.state) || record.state === 'released') {
      throw new LedgerError('invalid_state_transition', `${f.number} is ${record.state}${record.assignedTo ? ` for ${record.assignedTo}` : ''} now`);
    }
    await this.runner.run(f.number, { type: 'AcquireNumber', accountId: f.accountId! }, meta);
  }
}
