import { randomUUID } from 'node:crypto';
import { AuditScope, auditNumber, AuditSubject } from '@ledger/domain/audit/audit-rules';
import { LedgerError } from '@ledger/domain/errors';
import { Requester } from '@ledger/domain/types';
import { EventStore, LogPosition, WrongExpectedRevisionError } from '@ledger/event-store/port';
import { AuditChunkApplied, AuditChunkPlanned, AuditFinding } from '@ledger/domain/audit/events';
import { AccountQueries } from '@ledger/projections/accounts/queries';
import { AuditQueries } from '@ledger/projections/audits/queries';
import { Projector } from '@ledger/projections/projector';
import { SqlClient } from '@ledger/sql/sql-client';
import { wholeNumber } from '../core/ledger-settings';
import { RequestContext } from '../core/request-context';
import { NumberCommandRunner } from '../numbers/command-runner/number-command-runner';
import { LEDGER_ITSELF } from '../accounts/account-access';
import { findCandidates } from './audit-candidates';
import { AuditExecutor } from './audit-executor';
import { AuditLog } from './audit-log';
import { findingFor } from './audit-plan';
import { AuditRequest, resolveScope } from './audit-scope';

export interface AuditRunnerOptions {
  /** Audits with at most this many numbers to look at answer synchronously; larger ones run in the background. */
  syncLimit: number;
  /** Numbers planned and applied per chunk (one pair of audit events each). */
  chunkSize: number;
  /** Numbers changed concurrently within a chunk. */
  concurrency: number;
  /** Pause between chunks of a background audit, so that it leaves room for live traffic. */
  pauseMs: number;
  log: (message: string) => void;
}

export function auditOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): AuditRunnerOptions {
  return {
    syncLimit: wholeNumber(env, 'LEDGER_AUDIT_SYNC_LIMIT', 1000, 0),
    chunkSize: wholeNumber(env, 'LEDGER_AUDIT_CHUNK_SIZE', 500, 1),
    concurrency: wholeNumber(env, 'LEDGER_AUDIT_CONCURRENCY', 8, 1),
    pauseMs: wholeNumber(env, 'LEDGER_AUDIT_PAUSE_MS', 0, 0),
    log: (m) => console.error(m),
  };
}

/**
 * Runs inventory audits (SPEC 7): scope, candidates (SQL), rules (pure),
 * then chunk by chunk: plan (an event with the findings), apply (number
 * commands carrying the audit id), record it applied. The audit stream is the
 * progress: a service restarted mid-audit re-applies the last planned chunk
 * (idempotently) and continues after its cursor.
 */
export class AuditRunner {
  private readonly running = new Map<string, Promise<void>>();
  private readonly executor: AuditExecutor;
  private stopping = false;

  constructor(
    private readonly sql: SqlClient,
    private readonly events: EventStore,
    private readonly projector: Projector,
    runner: NumberCommandRunner,
    private readonly options: AuditRunnerOptions,
  ) {
    this.executor = new AuditExecutor(runner);
  }

  /** Starts an audit; resolves once it is finished (small) or running in the background (large). */
  async start(request: AuditRequest, requester: Requester, correlationId?: string): Promise<{ id: string; finished: boolean; position: LogPosition }> {
    const scope = await resolveScope(this.sql, this.projector.schema, request);
    const id = randomUUID();
    const log = AuditLog.create(this.events, id);
    const at = await log.record({ type: 'StartAudit', started: {
      id, accountId: request.accountId, level: scope.level, siteIds: scope.siteIds, scope: scope.accounts, requestedBy: requester.accountId,
    } }, requester.accountId);
    await this.settle(at);
    const candidates = await findCandidates(this.sql, this.projector.schema, scope.accounts);
    await log.record({ type: 'RecordScan', total: candidates.length }, LEDGER_ITSELF.accountId);
    const background = candidates.length > this.options.syncLimit;
    const work = this.process(log, scope, candidates, { chunk: 0, processed: 0, pause: background }, correlationId);
    if (!background) {
      await work;
      return { id, finished: true, position: log.lastPosition! };
    }
    this.track(id, work);
    return { id, finished: false, position: log.lastPosition! };
  }

  /** Picks up every audit a previous run of the service left unfinished. */
  async resumeUnfinished(): Promise<void> {
    const unfinished = await new AuditQueries(this.sql, this.projector.schema).running();
    for (const id of unfinished) if (!this.running.has(id)) this.track(id, this.resume(id));
  }

  /** Waits for the background audits to reach a chunk boundary; they resume on the next start. */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.allSettled([...this.running.values()]);
  }

  /** Resolves when the background audit (if any) is done; for tests and the CLI. */
  async settled(id: string): Promise<void> {
    await this.running.get(id);
  }

  private async resume(id: string): Promise<void> {
    const { log, progress } = await AuditLog.open(this.events, id);
    if (progress.completed || !progress.started) return;
    const s = progress.started;
    const lineage = await new AccountQueries(this.sql, this.projector.schema).lineageOf(s.accountId);
    const scope: AuditScope = { level: s.level, customerId: s.accountId, accounts: s.scope, lineage };
    const meta = this.metaFor(id);
    const last = progress.lastPlanned;
    await log.record({ type: 'ResumeAudit', cursor: last?.cursor ?? null }, LEDGER_ITSELF.accountId);
    if (last && progress.lastAppliedChunk < last.chunk) await this.applyChunk(log, last, meta);
    await this.settle(log.lastPosition!);
    const candidates = await findCandidates(this.sql, this.projector.schema, scope.accounts, last?.cursor);
    if (progress.total === null) await log.record({ type: 'RecordScan', total: candidates.length }, LEDGER_ITSELF.accountId);
    this.options.log(`audit ${id}: resuming after ${last?.cursor ?? 'the start'} with ${candidates.length} numbers to look at`);
    await this.process(log, scope, candidates, { chunk: last ? last.chunk + 1 : 0, processed: last?.processed ?? 0, pause: true });
  }

  private async process(
    log: AuditLog, scope: AuditScope, candidates: AuditSubject[], from: { chunk: number; processed: number; pause: boolean }, correlationId?: string,
  ): Promise<void> {
    const meta = this.metaFor(log.id, correlationId);
    let { chunk, processed } = from;
    for (let i = 0; i < candidates.length; i += this.options.chunkSize, chunk++) {
      if (from.pause && i > 0 && this.options.pauseMs > 0) await new Promise((r) => setTimeout(r, this.options.pauseMs));
      if (this.stopping) return;
      const slice = candidates.slice(i, i + this.options.chunkSize);
      processed += slice.length;
      const findings = slice.map((subject) => findingFor(auditNumber(subject, scope))).filter((f): f is AuditFinding => f !== null);
      const planned = { chunk, cursor: slice[slice.length - 1].number, processed, findings };
      await log.record({ type: 'PlanChunk', planned }, LEDGER_ITSELF.accountId);
      await this.applyChunk(log, { ...planned, at: '' }, meta);
    }
    await log.record({ type: 'CompleteAudit' }, LEDGER_ITSELF.accountId);
  }

  private async applyChunk(log: AuditLog, planned: AuditChunkPlanned, meta: RequestContext): Promise<void> {
    const failures: AuditChunkApplied['failures'] = [];
    const queue = planned.findings.filter((f) => f.action !== 'none');
    const worker = async () => {
      for (let f = queue.shift(); f; f = queue.shift()) {
        try {
          await this.executor.apply(f, meta);
        } catch (err) {
          if (!(err instanceof LedgerError)) throw err;
          failures.push({ number: f.number, code: err.code, detail: err.detail });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, this.options.concurrency) }, worker));
    failures.sort((a, b) => (a.number < b.number ? -1 : 1));
    await log.record({ type: 'RecordChunkApplied', applied: { chunk: planned.chunk, failures } }, LEDGER_ITSELF.accountId);
  }

  private metaFor(auditId: string, correlationId?: string): RequestContext {
    return { requester: LEDGER_ITSELF, auditId, correlationId: correlationId ?? auditId, causationId: auditId };
  }

  /** The read models must include everything up to `position` before candidates are looked for. */
  private async settle(position: LogPosition): Promise<void> {
    await this.projector.settle(position, 30_000, ['inventory', 'accounts', 'audits']);
  }

  private track(id: string, work: Promise<void>): void {
    const tracked = work
      .catch((err) => {
        if (err instanceof WrongExpectedRevisionError) return; // another instance runs this audit
        this.options.log(`audit ${id} interrupted (resumes on the next start): ${err instanceof Error ? err.message : String(err)}`);
      })
      .finally(() => this.running.delete(id));
    this.running.set(id, tracked);
  }
}
