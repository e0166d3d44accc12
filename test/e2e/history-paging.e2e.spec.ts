/**
 * `GET /v1/numbers/{n}/history?limit=&cursor=`: oldest first, a page at a time,
 * only the page read from the store; the caller's view (SPEC 12) holds on every
 * page, whatever cursor it sends.
 */
import { randomUUID } from 'node:crypto';
import { RecordedEvent } from '@ledger/event-store/port';
import { LedgerHarness, startLedger } from '../support/ledger-harness';

const N = '+14155550142';
const BUSY = '+14155550143';
const enc = encodeURIComponent;
const cursorOf = (r: number) => Buffer.from(JSON.stringify({ r })).toString('base64url');

/** A bound for starting the service and seeding it on a busy machine (a wait, not an assertion on time). */
const STARTUP_MS = 240_000;

describe('number history is paged (PGlite)', () => {
  let h: LedgerHarness;
  let tenantKey: string;
  const readEvents: number[] = [];

  beforeAll(async () => {
    h = await startLedger('pglite');
    const ok = async (method: string, path: string, body?: unknown, key?: string) => {
      const r = await h.call(method, path, { body, key });
      if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body;
    };
    await ok('POST', '/v1/accounts', { id: 'first', name: 'First' });
    await ok('POST', '/v1/accounts', { id: 'second', name: 'Second' });
    tenantKey = (await ok('POST', '/v1/accounts/second/keys', {})).key;
    // first holds N with features, releases it; second takes it and changes its features twice
    await ok('POST', '/v1/numbers', { number: N, state: 'in_service', accountId: 'first', carrierModule: 'knm_inventory' });
    await ok('PATCH', `/v1/numbers/${enc(N)}/features`, { e911: { street_address: '9 Secret Rd' } });
    await ok('POST', `/v1/numbers/${enc(N)}/release`, {});
    await ok('POST', `/v1/numbers/${enc(N)}/age`, { force: true });
    await ok('POST', `/v1/numbers/${enc(N)}/acquire`, { accountId: 'second' });
    await ok('PATCH', `/v1/numbers/${enc(N)}/features`, { prepend: { name: 'a' } }, tenantKey);
    await ok('PATCH', `/v1/numbers/${enc(N)}/features`, { prepend: { name: 'b' } }, tenantKey);
    // a busy number: 300 large feature events, written straight to the log
    await ok('POST', '/v1/numbers', { number: BUSY, state: 'in_service', accountId: 'second', carrierModule: 'knm_inventory' });
    const large = { e911: { street_address: 'x'.repeat(128), locality: 'y'.repeat(64) }, ringback: { early: 'r'.repeat(256) } };
    for (let batch = 0; batch < 6; batch++) {
      await h.runtime.stores.events.append(`number-${BUSY}`, Array.from({ length: 50 }, () => ({
        id: randomUUID(), type: 'NumberFeaturesSet.v1', data: { at: new Date().toISOString(), features: large }, metadata: { actor: 'system' },
      })), 'any');
    }
    // count what the service reads from the number streams
    const events = h.runtime.stores.events;
    const readStream = events.readStream.bind(events);
    events.readStream = async (streamId, options) => {
      const read: RecordedEvent[] = await readStream(streamId, options);
      if (streamId === `number-${BUSY}`) readEvents.push(read.length);
      return read;
    };
  }, STARTUP_MS);

  afterAll(async () => {
    await h?.close();
  });

  const get = (path: string, key?: string) => h.call('GET', path, { key });

  it('pages an admin through every event, oldest first, without a gap or a repeat', async () => {
    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const r = await get(`/v1/numbers/${enc(BUSY)}/history?limit=120${cursor ? `&cursor=${cursor}` : ''}`);
      expect(r.status).toBe(200);
      seen.push(...r.body.data.map((e: { revision: number }) => e.revision));
      cursor = r.body.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(Array.from({ length: 301 }, (_, i) => i));
  });

  it('reads only the page from the store', async () => {
    readEvents.length = 0;
    const r = await get(`/v1/numbers/${enc(BUSY)}/history?limit=10&cursor=${cursorOf(200)}`);
    expect(r.body.data.map((e: { revision: number }) => e.revision)).toEqual(Array.from({ length: 10 }, (_, i) => 200 + i));
    expect(readEvents.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(11);
  });

  it('answers 50 events by default, in the documented shape, with a cursor to the rest', async () => {
    const r = await get(`/v1/numbers/${enc(BUSY)}/history`);
    expect(r.body.data).toHaveLength(50);
    expect(Object.keys(r.body.data[0]).sort()).toEqual(['data', 'id', 'metadata', 'position', 'recordedAt', 'revision', 'type']);
    expect(typeof r.body.nextCursor).toBe('string');
    const short = await get(`/v1/numbers/${enc(N)}/history`);
    expect(short.body.data.map((e: { type: string }) => e.type)).toEqual([
      'NumberAdded.v1', 'NumberFeaturesSet.v1', 'NumberReleased.v1', 'NumberAged.v1', 'NumberAcquired.v1', 'NumberFeaturesSet.v1', 'NumberFeaturesSet.v1',
    ]);
    expect(short.body.nextCursor).toBeNull();
  });

  it('shows a tenant its own tenure only, on every page and whatever cursor it forges', async () => {
    const first = await get(`/v1/numbers/${enc(N)}/history?limit=2`, tenantKey);
    expect(first.body.data.map((e: { revision: number }) => e.revision)).toEqual([4, 5]);
    const rest = await get(`/v1/numbers/${enc(N)}/history?limit=2&cursor=${first.body.nextCursor}`, tenantKey);
    expect(rest.body.data.map((e: { revision: number }) => e.revision)).toEqual([6]);
    expect(rest.body.nextCursor).toBeNull();
    const forged = await get(`/v1/numbers/${enc(N)}/history?cursor=${cursorOf(0)}`, tenantKey);
    expect(forged.body.data.map((e: { revision: number }) => e.revision)).toEqual([4, 5, 6]);
    expect(JSON.stringify(forged.body)).not.toContain('Secret');
  });

  it.each([
    ['limit=0'], ['limit=201'], ['limit=-1'], ['limit=1.5'], ['limit=x'], ['limit=2147483648'],
    ['cursor=%25%25'], ['cursor=abc'], [`cursor=${Buffer.from('{"r":-1}').toString('base64url')}`], [`cursor=${Buffer.from('{"r":"0"}').toString('base64url')}`],
    [`cursor=${'A'.repeat(65)}`],
  ])('refuses %s with a 400 problem', async (query) => {
    const r = await get(`/v1/numbers/${enc(N)}/history?${query}`);
    expect(r.status).toBe(400);
    expect(r.headers.get('content-type')).toContain('application/problem+json');
    expect(r.body.code).toBe('validation_failed');
  });

  it('answers an empty last page for a cursor past the end, and 404 for a number not in the ledger', async () => {
    const past = await get(`/v1/numbers/${enc(N)}/history?cursor=${cursorOf(999)}`);
    expect(past.status).toBe(200);
    expect(past.body).toEqual({ data: [], nextCursor: null });
    expect((await get(`/v1/numbers/${enc('+14155550199')}/history`)).status).toBe(404);
  });
});
