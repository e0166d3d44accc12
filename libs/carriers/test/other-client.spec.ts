import { createCarrierClient } from '../src/create-carrier-client';
import { FakeCarrier, json, SECRET, settingsFor, type Route } from './fake-carrier';

const NUMBER = '+14155550100';
const NUMBER_PATH = `/numbers/${encodeURIComponent(NUMBER)}`;

describe('knm_other client (generic middleware)', () => {
  let fake: FakeCarrier | undefined;
  afterEach(async () => fake?.close());

  const start = async (route: Route, extra = {}) => {
    fake = await FakeCarrier.start(route);
    return { fake, client: createCarrierClient('knm_other', settingsFor('knm_other', `${fake.url}/mw`, extra)) };
  };

  it('searches GET /numbers with prefix and quantity', async () => {
    const { fake, client } = await start(() => json({ numbers: [
      { number: NUMBER, region: 'CA', rateCenter: 'SNFC', rate: { upfront: '2.5', monthly: 1, currency: 'USD' } },
      { number: 'not-a-number' },
    ] }));
    const numbers = await client.search({ prefix: '415', quantity: 3, tollfree: false });
    const [req] = fake.requests;
    expect(req.path).toBe('/mw/numbers');
    expect(Object.fromEntries(req.query)).toEqual({ prefix: '415', quantity: '3', tollfree: 'false' });
    expect(req.headers.authorization).toBe(`Bearer tok-${SECRET}`);
    expect(numbers).toEqual([expect.objectContaining({
      number: NUMBER, carrierModule: 'knm_other', region: 'CA', rateCenter: 'SNFC', rate: { upfront: 2.5, monthly: 1, currency: 'USD' },
    })]);
  });

  it('answers an empty list for empty results', async () => {
    const { client } = await start(() => json({ numbers: [] }));
    await expect(client.search({ prefix: '415', quantity: 3 })).resolves.toEqual([]);
  });

  it('searches blocks with GET /blocks', async () => {
    const { fake, client } = await start(() => json({ blocks: [{ start: '+14155550100', end: '+14155550109', size: 10 }, { start: 'x' }] }));
    const blocks = await client.searchBlocks!({ prefix: '415555', size: 10 });
    expect(Object.fromEntries(fake.requests[0].query)).toEqual({ prefix: '415555', size: '10' });
    expect(blocks).toEqual([{ start: '+14155550100', end: '+14155550109', size: 10, carrierModule: 'knm_other' }]);
  });

  it('orders with POST /numbers/{e164}/order', async () => {
    const { fake, client } = await start(() => json({ number: NUMBER, status: 'complete', orderId: 'o-1' }, 201));
    await expect(client.order(NUMBER)).resolves.toEqual({ number: NUMBER, carrierModule: 'knm_other', orderId: 'o-1', status: 'complete', sandbox: false });
    expect(fake.seen('POST', `/mw${NUMBER_PATH}/order`)).toHaveLength(1);
  });

  it('polls the status of a pending order until the number is active', async () => {
    let checks = 0;
    const { fake, client } = await start((req) => {
      if (req.method === 'POST') return json({ number: NUMBER, status: 'pending' }, 202);
      checks += 1;
      return json({ number: NUMBER, status: checks < 2 ? 'pending' : 'active' });
    });
    await expect(client.order(NUMBER)).resolves.toMatchObject({ status: 'complete' });
    expect(fake.seen('GET', `/mw${NUMBER_PATH}/status`)).toHaveLength(2);
  });

  it('fails a pending order that turns failed; one that never settles within the bound is reported pending', async () => {
    const failing = await start((req) => json(req.method === 'POST' ? { status: 'pending' } : { status: 'failed' }));
    await expect(failing.client.order(NUMBER)).rejects.toMatchObject({ kind: 'rejected' });
    await fake?.close();
    const later = { status: 'pending' };
    const stuck = await start((req) => json(req.method === 'POST' ? { status: 'pending', orderId: 'mw-7' } : later));
    await expect(stuck.client.order(NUMBER)).resolves.toMatchObject({ status: 'pending', orderId: 'mw-7' });
    expect(stuck.fake.seen('GET', /status$/)).toHaveLength(3);
    later.status = 'active';
    await expect(stuck.client.orderStatus!(NUMBER, 'mw-7')).resolves.toEqual({ status: 'complete' });
    later.status = 'failed';
    await expect(stuck.client.orderStatus!(NUMBER, 'mw-7')).resolves.toMatchObject({ status: 'failed' });
  });

  it('a disconnect answered 404 is the middleware not having the number; a refusal is a fault', async () => {
    const gone = await start(() => json({ error: 'no such number' }, 404));
    await expect(gone.client.disconnect(NUMBER)).resolves.toBe('not_held');
    await fake?.close();
    const refused = await start(() => json({ error: 'locked' }, 409));
    await expect(refused.client.disconnect(NUMBER)).rejects.toMatchObject({ code: 'carrier_fault', status: 409 });
  });

  it('fails an order the middleware refuses', async () => {
    const { client } = await start(() => json({ status: 'failed', reason: 'number taken' }));
    await expect(client.order(NUMBER)).rejects.toMatchObject({ message: 'knm_other order: number taken' });
  });

  it('lists the numbers it holds page after page (GET /held-numbers)', async () => {
    const { fake, client } = await start((req) => json(req.query.get('page') === '1'
      ? { numbers: [{ number: '+13125550300', status: 'active' }], nextPage: 2 }
      : { numbers: [{ number: '+13125550301' }], nextPage: null }));
    const held = [];
    for await (const page of client.listNumbers!()) held.push(...page);
    expect(held).toEqual([{ number: '+13125550300', upstreamState: 'active' }, { number: '+13125550301', upstreamState: 'active' }]);
    expect(fake.requests.map((r) => r.query.get('page'))).toEqual(['1', '2']);
  });

  it('disconnects with DELETE /numbers/{e164}', async () => {
    const { fake, client } = await start(() => ({ status: 204 }));
    await client.disconnect(NUMBER);
    expect(fake.seen('DELETE', `/mw${NUMBER_PATH}`)).toHaveLength(1);
  });

  it('reports the middleware\'s error message on 4xx and 5xx', async () => {
    const { client } = await start((req) => json({ error: { message: `bad ${req.method}` } }, req.method === 'GET' ? 404 : 500));
    await expect(client.status!(NUMBER)).rejects.toMatchObject({ status: 404, retriable: false, message: 'knm_other status: HTTP 404: bad GET' });
    await expect(client.order(NUMBER)).rejects.toMatchObject({ status: 500, retriable: true });
  });

  it('rejects malformed bodies', async () => {
    const { client } = await start((req) => (req.path.endsWith('status') ? json({ status: 'sideways' }) : { status: 200, body: '{"numbers": [' }));
    await expect(client.search({ prefix: '415', quantity: 1 })).rejects.toMatchObject({ kind: 'malformed' });
    await expect(client.status!(NUMBER)).rejects.toMatchObject({ kind: 'malformed' });
  });

  it('gives up after the configured timeout', async () => {
    const { client } = await start(() => ({ hang: true }), { timeoutMs: 200 });
    await expect(client.search({ prefix: '415', quantity: 1 })).rejects.toMatchObject({ kind: 'timeout', message: expect.stringContaining('200 ms') });
  });

  it('in sandbox mode never posts an order or deletes', async () => {
    const { fake, client } = await start(() => json({ status: 'complete' }), { sandboxProvisioning: true });
    await expect(client.order(NUMBER)).resolves.toMatchObject({ sandbox: true });
    await client.disconnect(NUMBER);
    expect(fake.requests).toHaveLength(0);
  });

  it('uses basic auth when no token is configured', async () => {
    const { fake, client } = await start(() => json({ numbers: [] }), { credentials: { user: 'mw', password: 'pw-x' } });
    await client.search({ prefix: '415', quantity: 1 });
    expect(fake.requests[0].headers.authorization).toBe(`Basic ${Buffer.from('mw:pw-x').toString('base64')}`);
  });
});
