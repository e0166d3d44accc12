import { randomUUID } from 'node:crypto';
import {
  INTEGRATION_MODULES, isCarrierFault, isIntegrationModule, type IntegrationModule,
} from '@ledger/carriers';
import { LedgerError } from '@ledger/domain/errors';
import type { Requester } from '@ledger/domain/types';
import { AccountQueries } from '@ledger/projections/accounts/queries';
import { ReconciliationQueries, ReconciliationRow } from '@ledger/projections/reconciliations/queries';
import { actsFor, requireAccountAccess } from '../../accounts/account-access';
import type { AccountTree } from '../../accounts/account-tree';
import type { NumberManagerConfigStore } from '../../config/number-manager-config.store';
import type { CarrierDirectory } from '../carrier-directory';
import { SYSTEM_SCOPE } from '@ledger/domain/carrier-settings/events';
import {
  reconcileCarrier, systemScope, type LedgerScope, type ReconciliationStores, type Progress, type ReconciliationFix, type ReconciliationReport,
} from './reconcile-carrier';

export interface ReconcileRequest {
  /** A reseller: its own carrier settings and the numbers held below it. Absent: the system's. */
  accountId?: string;
  module?: string;
  fix?: ReconciliationFix[];
}

/** A run as the API shows it: the report once done, progress while running, the fault when the carrier failed. */
export type RunView =
  | (ReconciliationReport & { position?: string })
  | { id: string; module: IntegrationModule; scope: string; status: 'running'; progress: Progress; startedAt: string }
  | { id: string; module: IntegrationModule; scope: string; status: 'failed'; error: string; startedAt: string };

interface Plan {
  id: string;
  module: IntegrationModule;
  ledger: LedgerScope;
}

/**
 * Carrier reconciliation (docs/carriers.md) for HTTP, gRPC and the CLI: who
 * may run it, which carrier accounts a run covers, progress of runs in flight
 * (this instance's), the stored reports.
 */
export class CarrierReconciliations {
  /** Runs in flight or failed on this instance (finished ones are read from the reporting table). */
  private readonly live = new Map<string, RunView>();

  constructor(
    private readonly stores: ReconciliationStores,
    private readonly carriers: CarrierDirectory,
    private readonly config: NumberManagerConfigStore,
    private readonly accounts: AccountTree,
  ) {}

  /** Runs the reconciliation of every planned carrier account; `background`: answers at once, runs after. */
  async start(request: ReconcileRequest, requester: Requester, background = false): Promise<{ runs: RunView[]; position: string | null }> {
    const plans = await this.plan(request, requester);
    const views = plans.map((p) => this.running(p));
    const all = this.runAll(plans, request.fix ?? []);
    if (background) {
      all.catch(() => undefined);
      return { runs: views, position: null };
    }
    const runs = await all;
    const positions = runs.flatMap((r) => ('position' in r && r.position ? [r.position] : []));
    return { runs, position: positions.at(-1) ?? null };
  }

  async get(id: string, requester: Requester): Promise<RunView> {
    const stored = await this.stored((q) => q.find(id));
    const run = stored[0] ?? this.live.get(id);
    if (!run || !this.mayRead(run.scope, requester)) throw new LedgerError('not_found', `no carrier reconciliation ${id}`);
    return run;
  }

  /** The newest runs the requester may read (without their findings). */
  async list(requester: Requester): Promise<RunView[]> {
    const stored = await this.stored((q) => q.newest(200));
    const inFlight = [...this.live.values()].filter((r) => !stored.some((s) => s.id === r.id));
    return [...inFlight, ...stored]
      .filter((r) => this.mayRead(r.scope, requester))
      .map((r) => ('findings' in r ? { ...r, findings: [] as ReconciliationReport['findings'] } : r));
  }

  private async runAll(plans: Plan[], fix: ReconciliationFix[]): Promise<RunView[]> {
    const done: RunView[] = [];
    for (const plan of plans) done.push(await this.runOne(plan, fix));
    return done;
  }

  private async runOne(plan: Plan, fix: ReconciliationFix[]): Promise<RunView> {
    const view = this.live.get(plan.id) as Extract<RunView, { status: 'running' }>;
    try {
      const client = await this.carriers.clientFor(plan.module, plan.ledger.holdersBelow);
      const report = await reconcileCarrier(this.stores, plan.module, client, plan.ledger, { id: plan.id, fix, progress: view.progress });
      await this.stores.projector.settle(report.position, 30_000).catch(() => undefined);
      this.live.delete(plan.id);
      return report;
    } catch (err) {
      const error = isCarrierFault(err) || err instanceof Error ? err.message : String(err);
      const failed: RunView = { id: plan.id, module: plan.module, scope: plan.ledger.scope, status: 'failed', error, startedAt: view.startedAt };
      this.live.set(plan.id, failed);
      return failed;
    }
  }

  private running(plan: Plan): RunView {
    const view: RunView = {
      id: plan.id, module: plan.module, scope: plan.ledger.scope, status: 'running',
      progress: { upstreamSeen: 0, pages: 0 }, startedAt: new Date().toISOString(),
    };
    this.live.set(plan.id, view);
    return view;
  }

  /** Which carrier accounts the request covers; refuses what the requester may not reconcile. */
  private async plan(request: ReconcileRequest, requester: Requester): Promise<Plan[]> {
    if (request.module !== undefined && !isIntegrationModule(request.module)) {
      throw new LedgerError('validation_failed', `${request.module} is not an upstream carrier module`, { field: 'module' });
    }
    const named = request.module;
    if (request.accountId) return this.resellerPlans(request.accountId, named, requester);
    if (!requester.isSystem) throw new LedgerError('unauthorized', 'reconciling the system\'s carrier accounts is for the operator; resellers name their account');
    const store = this.carriers.store;
    const operator = (await this.config.config()).carrierModules as string[];
    const system = (await store.scope(SYSTEM_SCOPE)).modules;
    const modules = INTEGRATION_MODULES.filter((m) => (named ? m === named : operator.includes(m)) && system[m]);
    if (named && modules.length === 0) throw new LedgerError('validation_failed', `${named} has no system settings`, { field: 'module' });
    const resellers = await this.resellers();
    return Promise.all(modules.map(async (module) => ({
      id: randomUUID(), module, ledger: systemScope(await this.withOwnAccount(resellers, module)),
    })));
  }

  private async resellerPlans(accountId: string, named: IntegrationModule | undefined, requester: Requester): Promise<Plan[]> {
    requireAccountAccess(this.accounts, requester, accountId, 'reconcile the carriers of');
    if (!this.accounts.get(accountId)!.reseller) {
      throw new LedgerError('validation_failed', `carrier settings are kept per reseller; ${accountId} is not a reseller`, { field: 'accountId' });
    }
    const modules = await this.ownAccountModules(accountId, named ? [named] : INTEGRATION_MODULES);
    if (named && modules.length === 0) {
      throw new LedgerError('validation_failed', `${accountId} keeps no carrier account of its own for ${named}`, { field: 'module' });
    }
    return modules.map((module) => ({ id: randomUUID(), module, ledger: { scope: accountId, holdersBelow: accountId, notBelow: [] } }));
  }

  private async resellers(): Promise<string[]> {
    return new AccountQueries(this.stores.sql, this.stores.projector.schema).resellers(SYSTEM_SCOPE);
  }

  /** Resellers that bring their own account at `module`'s carrier: their numbers are not on the system's. */
  private async withOwnAccount(resellers: string[], module: IntegrationModule): Promise<string[]> {
    const own = await Promise.all(resellers.map((id) => this.hasOwnAccount(id, module)));
    return resellers.filter((_, i) => own[i]);
  }

  /** The modules among `modules` for which the reseller keeps a carrier account of its own. */
  private async ownAccountModules(reseller: string, modules: readonly IntegrationModule[]): Promise<IntegrationModule[]> {
    const own = await Promise.all(modules.map((m) => this.hasOwnAccount(reseller, m)));
    return modules.filter((_, i) => own[i]);
  }

  /** isOwnCarrierAccount, as the carrier directory decides whose account serves the reseller. */
  private async hasOwnAccount(reseller: string, module: IntegrationModule): Promise<boolean> {
    return (await this.carriers.carrierAccountOf(module, reseller)) === reseller;
  }

  private mayRead(scope: string, requester: Requester): boolean {
    return requester.isSystem || (scope !== SYSTEM_SCOPE && actsFor(requester, this.accounts, scope));
  }

  /** Stored runs are the reports this class recorded (ReconciliationReport), read back from the reporting table. */
  private async stored(read: (q: ReconciliationQueries) => Promise<ReconciliationRow[]>): Promise<RunView[]> {
    return (await read(new ReconciliationQueries(this.stores.sql, this.stores.projector.schema))) as RunView[];
  }
}
