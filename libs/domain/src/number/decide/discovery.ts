import { carrierPolicy, parseCarrierModule } from '../../carrier-policy';
import { LedgerError } from '../../errors';
import { isLive } from '../evolve';
import { addDays } from '../../time';
import type { DecisionContext, DiscoverNumber, ExpireDiscovery, NumberEvent, NumberRecord } from '../../types';
import { instant, invalidTransition, numberExists, requireLive } from './common';

/**
 * DiscoverNumber: records a number found in an upstream carrier's search.
 * Only when the number does not exist or is deleted, or is a `discovery` another carrier
 * account found (else number_exists);
 * the module must be an integration module enabled in `config.carrierModules`.
 * Expires after `config.discoveryExpiryDays`. Found through a reseller's own carrier
 * account (`foundFor`), the number joins that reseller's pool: its subtree alone may find
 * and take it (SPEC 12), and the purchase goes through that account (the carrier gateway).
 */
export function decideDiscover(e164: string, cmd: DiscoverNumber, record: NumberRecord, ctx: DecisionContext): NumberEvent[] {
  const module = parseCarrierModule(cmd.carrierModule);
  const foundFor = cmd.foundFor ?? null;
  if (isLive(record) && !offeredAnew(record, foundFor)) throw numberExists(record, ctx);
  if (!carrierPolicy(module).integration) {
    throw new LedgerError('validation_failed', `${module} is not an upstream carrier; only integration modules discover numbers`, { field: 'carrierModule' });
  }
  if (!ctx.config.carrierModules.includes(module)) {
    throw new LedgerError('validation_failed', `carrier module ${module} is not enabled`, { field: 'carrierModule' });
  }
  if (foundFor !== null && !ctx.accounts.get(foundFor)) {
    throw new LedgerError('assign_failure', `account ${foundFor} does not exist`, { field: 'foundFor' });
  }
  return [{
    type: 'NumberDiscovered.v1',
    at: instant(ctx),
    number: e164,
    carrierModule: module,
    expiresAt: addDays(ctx.now, ctx.config.discoveryExpiryDays),
    ...(foundFor !== null ? { poolAccountId: foundFor } : {}),
  }];
}

/** A `discovery` number found again through another carrier account (no order pending): the last finder holds the offer. */
function offeredAnew(record: NumberRecord, foundFor: string | null): boolean {
  return record.state === 'discovery' && !record.pendingOrder && (record.poolAccountId ?? null) !== foundFor;
}

/** ExpireDiscovery: system only; a `discovery` number whose expiry has passed (or `force`) becomes `deleted`. */
export function decideExpireDiscovery(e164: string, cmd: ExpireDiscovery, record: NumberRecord, ctx: DecisionContext): NumberEvent[] {
  requireLive(e164, record);
  if (!ctx.requester.isSystem) throw new LedgerError('unauthorized', 'only the system expires discovered numbers');
  if (record.state !== 'discovery') throw invalidTransition(record, 'deleted', 'only discovered numbers expire');
  const due = record.discoveryExpiresAt ? Date.parse(record.discoveryExpiresAt) : NaN;
  if (!cmd.force && !Number.isNaN(due) && due > ctx.now.getTime()) {
    throw invalidTransition(record, 'deleted', `the discovery lasts until ${record.discoveryExpiresAt}`);
  }
  return [{ type: 'NumberDiscoveryExpired.v1', at: instant(ctx) }];
}
