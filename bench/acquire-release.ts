import { HttpJsonClient } from './http-client';

/** The command load of the HTTP benchmarks: each client cycles its own number between in service and aging. */
export const CYCLE_ACCOUNT = 'bench';

/** The account and `count` available numbers (+1 555 2xx xxxx from `first`), created over HTTP. */
export async function addCycleNumbers(http: HttpJsonClient, count: number, first = 0): Promise<string[]> {
  await http.send('POST', '/v1/accounts', { id: CYCLE_ACCOUNT, name: 'Bench' });
  const numbers = Array.from({ length: count }, (_, i) => `+1555${String(2000000 + first + i).padStart(7, '0')}`);
  for (const n of numbers) await http.send('POST', '/v1/numbers', { number: n, state: 'available', carrierModule: 'knm_inventory' });
  return numbers;
}

/** The i-th command of a cycle: acquire (even i), release (odd i). */
export function cycleCommand(http: HttpJsonClient, number: string, i: number) {
  const action = i % 2 === 0 ? 'acquire' : 'release';
  return http.send('POST', `/v1/numbers/${number}/${action}`, action === 'acquire' ? { accountId: CYCLE_ACCOUNT } : {});
}

/** The state a cycle's i-th command leaves its number in. */
export const cycleState = (i: number) => (i % 2 === 0 ? 'in_service' : 'aging');
