import { createCarrierClient } from '../src/create-carrier-client';
import { parseXml } from '../src/xml';
import { FakeCarrier, recorded, SECRET, settingsFor, written, xml, type Route } from './fake-carrier';

const ACCOUNT = `/accounts/${encodeURIComponent(`acct-${SECRET}`)}`;

describe('knm_bandwidth2 client (dashboard XML API)', () => {
  let fake: FakeCarrier | undefined;
  afterEach(async () => fake?.close());

  const start = async (route: Route, extra = {}) => {
    fake = await FakeCarrier.start(route);
    return { fake, client: createCarrierClient('knm_bandwidth2', settingsFor('knm_bandwidth2', fake.url, { options: { siteId: '1337', peerId: '13337' }, ...extra })) };
  };

  it('searches availableNumbers by area code with TN detail and basic auth', async () => {
    const { fake, client } = await start(() => xml(recorded('bandwidth2_find_by_npa.xml')));
    const numbers = await client.search({ prefix: '973', quantity: 2 });

    const [req] = fake.requests;
    expect(req.method).toBe('GET');
    expect(decodeURIComponent(req.path)).toBe(`/accounts/acct-${SECRET}/availableNumbers`);
    expect(Object.fromEntries(req.query)).toEqual({ areaCode: '973', enableTNDetail: 'true', quantity: '2' });
    const expectedAuth = Buffer.from(`user-${SECRET}:pw-${SECRET}`).toString('base64');
    expect(req.headers.authorization).toBe(`Basic ${expectedAuth}`);
    expect(numbers).toEqual([
      expect.objectContaining({ number: '+19733705112', carrierModule: 'knm_bandwidth2', region: 'NJ', locality: 'MENDHAM', rateCenter: 'MENDHAM' }),
      expect.objectContaining({ number: '+19733705183' }),
    ]);
  });

  it('searches by NPA-NXXX for seven-digit prefixes and keeps only matching numbers', async () => {
    const { fake, client } = await start(() => xml(recorded('bandwidth2_find_by_npa_no_detail.xml')));
    const numbers = await client.search({ prefix: '9733705', quantity: 10 });
    expect(fake.requests[0].query.get('npaNxxx')).toBe('9733705');
    expect(numbers.map((n) => n.number)).toEqual(['+19733705112', '+19733705183']);
    await expect(client.search({ prefix: '973370511', quantity: 10 })).resolves.toEqual([expect.objectContaining({ number: '+19733705112' })]);
  });

  it('searches toll-free numbers by wildcard pattern', async () => {
    const { fake, client } = await start(() => xml(recorded('bandwidth2_find_tollfree.xml')));
    const numbers = await client.search({ prefix: '855', quantity: 4, tollfree: true });
    expect(Object.fromEntries(fake.requests[0].query)).toEqual({ tollFreeWildCardPattern: '855', quantity: '4' });
    expect(numbers.map((n) => n.number)).toEqual(['+18552522133', '+18552522137', '+18552522143', '+18552522151']);
  });

  it('answers an empty list for empty results and for countries it does not serve', async () => {
    const { fake, client } = await start(() => xml(written('bandwidth2_search_empty.xml')));
    await expect(client.search({ prefix: '973', quantity: 2 })).resolves.toEqual([]);
    await expect(client.search({ prefix: '207', quantity: 2, country: 'GB' })).resolves.toEqual([]);
    expect(fake.requests).toHaveLength(1);
  });

  it('orders with an XML Order and polls the order until COMPLETE', async () => {
    let checks = 0;
    const { fake, client } = await start((req) => {
      if (req.method === 'POST') return xml(recorded('bandwidth2_buy_a_number.xml'), 201);
      checks += 1;
      return xml(checks < 2 ? recorded('bandwidth2_buy_a_number.xml') : recorded('bandwidth2_check_order.xml'));
    });
    const result = await client.order('+19734096113');

    const [post] = fake.seen('POST', `${ACCOUNT}/orders`);
    const order = parseXml(post.body)?.Order as Record<string, unknown>;
    expect(order).toMatchObject({ SiteId: '1337', PeerId: '13337' });
    expect(order.ExistingTelephoneNumberOrderType).toEqual({ TelephoneNumberList: { TelephoneNumber: ['9734096113'] } });
    expect(post.headers['content-type']).toContain('application/xml');
    expect(fake.seen('GET', `${ACCOUNT}/orders/dc0008ec-07fc-41bf-a3bd-6c6ebf913f1c`)).toHaveLength(2);
    expect(result).toEqual({
      number: '+19734096113', carrierModule: 'knm_bandwidth2', orderId: 'dc0008ec-07fc-41bf-a3bd-6c6ebf913f1c', status: 'complete', sandbox: false,
    });
  });

  it('fails an order that ends FAILED, with Bandwidth\'s reason', async () => {
    const { client } = await start((req) => xml(req.method === 'POST' ? recorded('bandwidth2_buy_a_number.xml') : written('bandwidth2_order_failed.xml')));
    const fault = (await client.order('+19734096113').catch((e: unknown) => e)) as Error;
    expect(fault).toMatchObject({ kind: 'rejected', retriable: false });
    expect(fault.message).toContain('5005 The telephone number is unavailable for ordering');
  });

  it('reports an order still pending after the configured attempts as pending, settled later by orderStatus', async () => {
    let check = recorded('bandwidth2_buy_a_number.xml');
    const { fake, client } = await start((req) => xml(req.method === 'POST' ? recorded('bandwidth2_buy_a_number.xml') : check), { orderPoll: { attempts: 2, intervalMs: 0 } });
    await expect(client.order('+19734096113')).resolves.toMatchObject({ status: 'pending' });
    expect(fake.seen('GET', /\/orders\//)).toHaveLength(2);
    const orderId = fake.seen('GET', /\/orders\//)[0].path.split('/').pop()!;
    check = recorded('bandwidth2_check_order.xml');
    await expect(client.orderStatus!('+19734096113', orderId)).resolves.toEqual({ status: 'complete' });
    check = written('bandwidth2_order_failed.xml');
    await expect(client.orderStatus!('+19734096113', orderId)).resolves.toMatchObject({ status: 'failed', reason: expect.stringContaining('5005') });
  });

  it('follows a disconnect order until COMPLETE, and refuses one Bandwidth failed', async () => {
    const done = written('bandwidth2_disconnect.xml').replace('RECEIVED', 'COMPLETE');
    const { fake, client } = await start((req) => xml(req.method === 'POST' ? written('bandwidth2_disconnect.xml') : done, req.method === 'POST' ? 201 : 200), { orderPoll: { attempts: 2, intervalMs: 0 } });
    await expect(client.disconnect('+19734096113')).resolves.toBe('disconnected');
    expect(fake.seen('GET', `${ACCOUNT}/disconnects/df2bc2e2-653d-466c-945d-8f292f09ce55`)).toHaveLength(1);
    await fake.close();
    const failed = written('bandwidth2_disconnect.xml').replace('RECEIVED', 'FAILED');
    const refused = await start(() => xml(failed, 201));
    await expect(refused.client.disconnect('+19734096113')).rejects.toMatchObject({ code: 'carrier_fault', kind: 'rejected' });
  });

  it('lists in-service numbers page after page, following the next link', async () => {
    const page = (tns: string[], next?: string) => `<?xml version="1.0"?><TNs><TotalCount>3</TotalCount><Links>`
      + `<first>Link=&lt;https://dashboard.bandwidth.com/api/accounts/1/inserviceNumbers?page=1&amp;size=500&gt;;rel="first";</first>`
      + (next ? `<next>Link=&lt;https://dashboard.bandwidth.com/api/accounts/1/inserviceNumbers?page=${next}&amp;size=500&gt;;rel="next";</next>` : '')
      + `</Links><TelephoneNumbers><Count>${tns.length}</Count>${tns.map((t) => `<TelephoneNumber>${t}</TelephoneNumber>`).join('')}</TelephoneNumbers></TNs>`;
    const { fake, client } = await start((req) => xml(req.query.get('page') === '1' ? page(['9195550001', '9195550002'], '9195550003') : page(['9195550003'])));
    const numbers: string[] = [];
    for await (const held of client.listNumbers!()) numbers.push(...held.map((h) => h.number));
    expect(numbers).toEqual(['+19195550001', '+19195550002', '+19195550003']);
    expect(fake.requests.map((r) => r.query.get('page'))).toEqual(['1', '9195550003']);
  });

  it('disconnects with a DisconnectTelephoneNumberOrder', async () => {
    const { fake, client } = await start(() => xml(written('bandwidth2_disconnect.xml'), 201));
    await client.disconnect('+19734096113');
    const [post] = fake.seen('POST', `${ACCOUNT}/disconnects`);
    const body = parseXml(post.body)?.DisconnectTelephoneNumberOrder as Record<string, unknown>;
    expect(body.DisconnectTelephoneNumberOrderType).toEqual({ TelephoneNumberList: { TelephoneNumber: ['9734096113'] } });
  });

  it('reports Bandwidth\'s error description on 4xx', async () => {
    const { client } = await start(() => xml(written('bandwidth2_error_400.xml'), 400));
    const fault = (await client.search({ prefix: '973', quantity: 2 }).catch((e: unknown) => e)) as Error;
    expect(fault).toMatchObject({ status: 400, retriable: false, kind: 'http' });
    expect(fault.message).toContain('4010 One of more required search parameters are missing');
  });

  it('turns a 5xx into a retriable fault', async () => {
    const { client } = await start(() => ({ status: 500, body: 'Internal Server Error' }));
    await expect(client.order('+19734096113')).rejects.toMatchObject({ status: 500, retriable: true });
  });

  it('rejects malformed bodies', async () => {
    const { client } = await start(() => xml('<SearchResult><TelephoneNumberList>'));
    await expect(client.search({ prefix: '973', quantity: 2 })).rejects.toMatchObject({ kind: 'malformed' });
  });

  it('rejects an order answer without an order id', async () => {
    const { client } = await start(() => xml('<OrderResponse><OrderStatus>RECEIVED</OrderStatus></OrderResponse>'));
    await expect(client.order('+19734096113')).rejects.toMatchObject({ kind: 'malformed' });
  });

  it('gives up after the configured timeout', async () => {
    const { client } = await start(() => ({ hang: true }), { timeoutMs: 200 });
    await expect(client.search({ prefix: '973', quantity: 2 })).rejects.toMatchObject({ kind: 'timeout', message: expect.stringContaining('200 ms') });
  });

  it('refuses numbers outside +1', async () => {
    const { fake, client } = await start(() => xml(recorded('bandwidth2_buy_a_number.xml')));
    await expect(client.order('+442071234567')).rejects.toMatchObject({ kind: 'invalid_request' });
    expect(fake.requests).toHaveLength(0);
  });

  it('in sandbox mode never posts an order or a disconnect', async () => {
    const { fake, client } = await start(() => xml(recorded('bandwidth2_find_by_npa.xml')), { sandboxProvisioning: true });
    await expect(client.order('+19734096113')).resolves.toMatchObject({ sandbox: true });
    await client.disconnect('+19734096113');
    await client.search({ prefix: '973', quantity: 1 });
    expect(fake.seen('POST', /.*/)).toHaveLength(0);
    expect(fake.requests).toHaveLength(1);
  });
});
