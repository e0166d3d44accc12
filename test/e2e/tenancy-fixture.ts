import { LedgerHarness } from '../support/ledger-harness';

/**
 * Five tenants for the tenancy suites (SPEC 12): two competing resellers rA
 * and rB, a child of each (cA, cB) and an unrelated account U, each with a key;
 * plus numbers each of them holds, has reserved or keeps in a managed pool.
 */
export const TENANTS = ['resellerA', 'childA', 'resellerB', 'childB', 'unrelated'] as const;
export type Tenant = (typeof TENANTS)[number];

/** What each tenant may see of the others (SPEC 12: its subtree and its ancestors' ids). */
export const VIEW: Record<Tenant, Tenant[]> = {
  resellerA: ['resellerA', 'childA'], childA: ['resellerA', 'childA'], resellerB: ['resellerB', 'childB'], childB: ['resellerB', 'childB'], unrelated: ['unrelated'],
};

export interface TenantNumbers {
  /** in_service for the tenant */
  held: string;
  /** reserved for the tenant */
  reserved: string;
  /** available in the tenant's managed pool */
  pool: string;
}

export interface TenantWorld {
  keys: Record<Tenant, string>;
  numbers: Record<Tenant, TenantNumbers>;
  /** Available to anyone (knm_inventory), one per tenant so that tests do not compete. */
  free: Record<Tenant, string>;
}

export async function buildTenants(ledger: LedgerHarness, prefix: string): Promise<TenantWorld> {
  const sys = async (method: string, path: string, body?: unknown) => {
    const r = await ledger.call(method, path, { body });
    if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  await sys('POST', '/v1/accounts', { id: 'resellerA', name: 'Reseller A', reseller: true, allowNumberAdditions: true });
  await sys('POST', '/v1/accounts', { id: 'resellerB', name: 'Reseller B', reseller: true, allowNumberAdditions: true });
  await sys('POST', '/v1/accounts', { id: 'childA', name: 'Child of A', parentId: 'resellerA', allowNumberAdditions: true });
  await sys('POST', '/v1/accounts', { id: 'childB', name: 'Child of B', parentId: 'resellerB', allowNumberAdditions: true });
  await sys('POST', '/v1/accounts', { id: 'unrelated', name: 'Unrelated', allowNumberAdditions: true });
  const keys = {} as Record<Tenant, string>;
  const numbers = {} as Record<Tenant, TenantNumbers>;
  const free = {} as Record<Tenant, string>;
  let seq = 0;
  const next = () => `${prefix}${String(++seq).padStart(4, '0')}`;
  for (const t of TENANTS) {
    keys[t] = (await sys('POST', `/v1/accounts/${t}/keys`, { name: `${t} key` })).key;
    numbers[t] = { held: next(), reserved: next(), pool: next() };
    await sys('POST', '/v1/numbers', { number: numbers[t].held, state: 'in_service', carrierModule: 'knm_inventory', accountId: t });
    await sys('POST', '/v1/numbers', { number: numbers[t].reserved, state: 'reserved', carrierModule: 'knm_inventory', accountId: t });
    await sys('POST', '/v1/numbers', { number: numbers[t].pool, state: 'available', carrierModule: 'knm_managed', accountId: t });
    free[t] = next();
    await sys('POST', '/v1/numbers', { number: free[t], state: 'available', carrierModule: 'knm_inventory' });
  }
  return { keys, numbers, free };
}

/** Every account id outside `caller`'s view that occurs in `text` (as a whole word). */
export function foreignIdsIn(text: string, caller: Tenant): Tenant[] {
  return TENANTS.filter((t) => !VIEW[caller].includes(t) && new RegExp(`(^|[^A-Za-z0-9_])${t}([^A-Za-z0-9_]|$)`).test(text));
}
