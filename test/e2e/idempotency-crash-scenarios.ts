import { ServiceChild } from '../support/child-ledger';

/** Keyed requests held at each stage by the service's test hook, so that a kill -9 lands while they run. */
export const CRASH_PAUSES = { LEDGER_TEST_IDEMPOTENCY_PAUSE: 'claimed:crash-before-append,committed:crash-after-append' };

const REQUESTS = [
  { key: 'crash-before-append', number: '+14155550201' },
  { key: 'crash-after-append', number: '+14155550202' },
];

const add = (service: ServiceChild, r: (typeof REQUESTS)[number]) =>
  service.call('POST', '/v1/numbers', { body: { number: r.number, state: 'available', carrierModule: 'knm_inventory' }, headers: { 'idempotency-key': r.key } });

/**
 * Two keyed requests are in flight at a kill -9, one claimed but not yet appended, one
 * appended but not yet answered; `first` is a service started with CRASH_PAUSES.
 * Resolves once both are held there and the service is dead.
 */
export async function killWithKeyedRequestsInFlight(first: ServiceChild): Promise<void> {
  const inFlight = REQUESTS.map((r) => add(first, r).then(() => 'answered', () => 'cut off'));
  for (const r of REQUESTS) await first.waitForLine((l) => l.msg === 'ledger-test-pause' && l.key === r.key);
  await first.kill9();
  expect(await Promise.all(inFlight)).toEqual(['cut off', 'cut off']);
}

/** After the restart, each retry completes: applied exactly once, then replayed. */
export async function retriesCompleteOnce(second: ServiceChild): Promise<void> {
  for (const r of REQUESTS) {
    const retry = await add(second, r);
    expect(retry.status).toBe(201);
    expect(retry.body).toMatchObject({ number: r.number, state: 'available' });
    const again = await add(second, r);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(retry.body);
    const history = await second.call('GET', `/v1/numbers/${r.number}/history`);
    expect(history.body.data.map((e: { type: string }) => e.type)).toEqual(['NumberAdded.v1']);
  }
}
