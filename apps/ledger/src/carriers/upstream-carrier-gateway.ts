import {
  applyFeaturePlan, CarrierConfigError, FEATURE_PROVIDER_MODULES, isCarrierFault, isIntegrationModule, planFeatureSync,
  toLedgerError, type FeatureAction, type IntegrationModule,
} from '@ledger/carriers';
import { evolve } from '@ledger/domain';
import { LedgerError } from '@ledger/domain/errors';
import type { NumberEvent, NumberRecord } from '@ledger/domain/types';
import type { CarrierGateway, UpstreamAnswer } from './carrier-gateway';
import { CarrierDirectory } from './carrier-directory';

/** What recording `events` on `record` requires upstream, in the order it must happen. */
interface UpstreamPlan {
  module: IntegrationModule;
  order?: { accountId: string; action: 'reserve' | 'acquire' };
  features: FeatureAction[];
  featuresAccountId: string | null;
  disconnect?: { accountId: string | null };
}

/**
 * The write path's calls to upstream carriers (SPEC 3, 4, 5): buy a discovered
 * number before it is reserved or acquired, apply or remove e911/CNAM when
 * they change, disconnect before a release or deletion is recorded. Any
 * failure becomes `carrier_fault` (502) and the runner appends nothing.
 */
export class UpstreamCarrierGateway implements CarrierGateway {
  constructor(private readonly directory: CarrierDirectory) {}

  needsUpstream(record: NumberRecord, events: NumberEvent[]): boolean {
    return planFor(record, events) !== null;
  }

  async beforeAppend(record: NumberRecord, events: NumberEvent[]): Promise<UpstreamAnswer | void> {
    const plan = planFor(record, events);
    if (!plan) return;
    if (plan.order) await this.requireOfferedTo(record, plan.module, plan.order);
    try {
      return await this.carryOut(record.number, plan);
    } catch (err) {
      throw this.asLedgerError(record.number, plan.module, err);
    }
  }

  /** A number bought for a change that could not be recorded goes back upstream. */
  async undo(record: NumberRecord, events: NumberEvent[]): Promise<void> {
    const plan = planFor(record, events);
    if (!plan?.order) return;
    try {
      const client = await this.directory.clientFor(plan.module, plan.order.accountId);
      if (client.supportsDisconnect) await client.disconnect(record.number);
      this.directory.logger.warn({ module: plan.module, number: record.number }, 'bought upstream but not recorded: disconnected again');
    } catch (err) {
      this.directory.logger.warn({ module: plan.module, number: record.number, err: String(err) }, 'bought upstream but not recorded, and the disconnect failed');
    }
  }

  /**
   * A discovered number is bought only through the carrier account that found it (its pool:
   * a reseller's own account, or the operator's): any other account would pay for a number
   * its carrier never offered it, or order a tenant's offer on another's bill (SPEC 12).
   */
  private async requireOfferedTo(record: NumberRecord, module: IntegrationModule, { accountId, action }: NonNullable<UpstreamPlan['order']>): Promise<void> {
    if ((await this.directory.carrierAccountOf(module, accountId)) === (record.poolAccountId ?? null)) return;
    throw new LedgerError('unauthorized', `you may not ${action} ${record.number} for ${accountId}: another carrier account than ${accountId}'s offered it; search for numbers as ${accountId}`, {
      number: record.number,
    });
  }

  private async carryOut(e164: string, plan: UpstreamPlan): Promise<UpstreamAnswer> {
    const answer: UpstreamAnswer = {};
    if (plan.order) {
      const order = await (await this.directory.clientFor(plan.module, plan.order.accountId)).order(e164);
      // Not confirmed yet: recorded as pending, no features applied to a number that is not ours.
      if (order.status === 'pending') return { pendingOrder: { orderId: order.orderId ?? null } };
    }
    if (plan.features.length > 0) {
      const provider = await this.directory.featureProviderFor(plan.module, plan.featuresAccountId);
      if (provider) await applyFeaturePlan(provider, e164, plan.features);
    }
    if (plan.disconnect) {
      const client = await this.directory.clientFor(plan.module, plan.disconnect.accountId);
      if (client.supportsDisconnect) answer.disconnect = await client.disconnect(e164);
    }
    return answer;
  }

  private asLedgerError(e164: string, module: IntegrationModule, err: unknown): unknown {
    if (isCarrierFault(err)) {
      this.directory.logger.warn({ module, number: e164, kind: err.kind, status: err.status }, err.message);
      return toLedgerError(err);
    }
    if (err instanceof CarrierConfigError) {
      this.directory.logger.warn({ module, number: e164 }, err.message);
      return new LedgerError('carrier_fault', err.message, { module, kind: 'not_configured', retriable: false });
    }
    return err;
  }
}

function planFor(record: NumberRecord, events: NumberEvent[]): UpstreamPlan | null {
  if (!isIntegrationModule(record.carrierModule)) return null;
  const module = record.carrierModule;
  const after = events.reduce(evolve, record);
  // A number bought through a reseller's own account is in its pool: that account holds it upstream, whoever holds it here.
  const buyer = record.poolAccountId ?? null;
  const plan: UpstreamPlan = { module, features: [], featuresAccountId: buyer ?? after.assignedTo ?? record.assignedTo };
  for (const event of events) {
    if ((event.type === 'NumberReserved.v1' || event.type === 'NumberAcquired.v1') && event.orderFromCarrier) {
      plan.order = { accountId: event.accountId, action: event.type === 'NumberReserved.v1' ? 'reserve' : 'acquire' };
    }
    if ((event.type === 'NumberReleased.v1' || event.type === 'NumberDeleted.v1') && event.disconnectFromCarrier) {
      plan.disconnect = { accountId: buyer ?? record.assignedTo ?? record.prevAssignedTo };
    }
  }
  if (FEATURE_PROVIDER_MODULES.includes(module) && record.exists) {
    plan.features = planFeatureSync({ state: record.state, features: record.features }, { state: after.state, features: after.features });
  }
  return plan.order || plan.disconnect || plan.features.length > 0 ? plan : null;
}
