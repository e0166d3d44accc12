import type { UpstreamNumber } from '@ledger/carriers';
import { SYSTEM_ACCOUNT_ID } from '@ledger/domain/account/events';
import { LedgerError } from '@ledger/domain/errors';
import { comparePositions, type LogPosition } from '@ledger/event-store/port';
import type { RequestContext } from '../../core/request-context';
import { NumberCommandGateway } from '../command-runner/number-command.gateway';

const PARALLEL = 8;

export interface Discoveries {
  /** The upstream numbers that are (now) `discovery` entries, by number. */
  kept: Map<string, UpstreamNumber>;
  position: LogPosition | null;
}

/** Per module, the reseller whose own carrier account searched (CarrierDirectory.carrierAccountOf); absent or null: the operator's. */
export type CarrierAccounts = Partial<Record<string, string | null>>;

/**
 * Found numbers become `discovery` numbers (SPEC 2), events like any other,
 * expiring after `discoveryExpiryDays`, in the pool of the reseller whose own carrier
 * account found them. A number the ledger already holds in another state is not on offer
 * and is dropped.
 */
export async function recordDiscoveries(
  numbers: NumberCommandGateway, found: UpstreamNumber[], accounts: CarrierAccounts, correlationId?: string,
): Promise<Discoveries> {
  const meta: RequestContext = { requester: { accountId: SYSTEM_ACCOUNT_ID, isSystem: true }, correlationId };
  const kept = new Map<string, UpstreamNumber>();
  let position: LogPosition | null = null;
  const queue = [...new Map(found.map((n) => [n.number, n])).values()];
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const outcome = await discover(numbers, next, accounts[next.carrierModule] ?? null, meta);
      if (outcome.kept) kept.set(next.number, next);
      if (outcome.position && (!position || comparePositions(outcome.position, position) > 0)) position = outcome.position;
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  return { kept, position };
}

async function discover(numbers: NumberCommandGateway, found: UpstreamNumber, foundFor: string | null, meta: RequestContext) {
  try {
    const outcome = await numbers.execute(found.number, { type: 'DiscoverNumber', carrierModule: found.carrierModule, foundFor }, meta);
    return { kept: true, position: outcome.position };
  } catch (err) {
    if (err instanceof LedgerError && err.code === 'number_exists') return { kept: err.extra.state === 'discovery', position: null };
    if (err instanceof LedgerError) return { kept: false, position: null };
    throw err;
  }
}
