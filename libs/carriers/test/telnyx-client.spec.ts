import { CarrierFault } from '../src/carrier-fault';
import { createCarrierClient } from '../src/create-carrier-client';
import { FakeCarrier, json, recorded, SECRET, settingsFor, written, type Route } from './fake-carrier';

describe('knm_telnyx client (v2 API)', () => {
  let fake: FakeCarrier | undefined;
  afterEach(async () => fake?.close());

  const start = async (route: Route, extra = {}) => {
    fake = await FakeCarrier.start(route);
    return { fake, client: createCarrierClient('knm_telnyx', settingsFor('knm_telnyx', fake.url, extra)) };
  };

  it('searches with filter[...] parameters and the bearer token, keeping exact matches only', async () => {
    const { fake, client } = await start(() => json(written('telnyx_v2_available_phone_numbers.json')));
    const numbers = await client.search({ prefix: '312555', quantity: 5 });

    const [req] = fake.seen('GET', '/v2/available_phone_numbers');
    expect(req.headers.authorization).toBe(`Bearer tok-${SECRET}`);
    expect(req.query.get('filter[country_code]')).toBe('US');
    expect(req.query.get('filter[national_destination_code]')).toBe('312');
    expect(req.query.get('filter[phone_number][starts_with]')).toBe('555');
    expect(req.query.get('filter[limit]')).toBe('5');
    expect(req.query.get('filter[phone_number_type]')).toBeNull();
    expect(numbers.map((n) => n.number)).toEqual(['+13125550101', '+13125550177']);
    expect(numbers[0]).toMatchObject({
      carrierModule: 'knm_telnyx', region: 'IL', rateCenter: 'CHICAGO HEIGHTS',
      rate: { upfront: 1, monthly: 1, currency: 'USD' }, features: ['sms', 'voice', 'emergency'],
    });
  });

  it('asks for toll-free numbers by number type', async () => {
    const { fake, client } = await start(() => json(written('telnyx_v2_available_phone_numbers_empty.json')));
    await client.search({ prefix: '800', quantity: 2, tollfree: true });
    const [req] = fake.requests;
    expect(req.query.get('filter[phone_number_type]')).toBe('toll_free');
    expect(req.query.get('filter[national_destination_code]')).toBe('800');
    expect(req.query.has('filter[phone_number][starts_with]')).toBe(false);
  });

  it('searches outside NANP by starts_with and filters on the country code', async () => {
    const { fake, client } = await start(() => json({ data: [
      { phone_number: '+442071234567', best_effort: false }, { phone_number: '+441611234567', best_effort: false },
    ] }));
    const numbers = await client.search({ prefix: '207', quantity: 5, country: 'gb' });
    expect(fake.requests[0].query.get('filter[country_code]')).toBe('GB');
    expect(fake.requests[0].query.get('filter[phone_number][starts_with]')).toBe('207');
    expect(numbers.map((n) => n.number)).toEqual(['+442071234567']);
  });

  it('parses the recorded legacy number search answers', async () => {
    const { client } = await start(() => json(recorded('telnyx_npa_search.json')));
    const numbers = await client.search({ prefix: '301', quantity: 3 });
    expect(numbers).toHaveLength(3);
    expect(numbers[0]).toMatchObject({ number: '+13013596695', rate: { upfront: 1, monthly: 1 } });
  });

  it('answers an empty list for empty results (v2 and the recorded international search)', async () => {
    const { client } = await start(() => json(written('telnyx_v2_available_phone_numbers_empty.json')));
    await expect(client.search({ prefix: '312', quantity: 5 })).resolves.toEqual([]);
    await fake?.close();
    const second = await start(() => json(recorded('telnyx_international_search.json')));
    await expect(second.client.search({ prefix: '161', quantity: 5, country: 'GB' })).resolves.toEqual([]);
  });

  it('orders with POST /v2/number_orders and reports a pending activation', async () => {
    const { fake, client } = await start(() => json(written('telnyx_v2_number_order.json')), { options: { connectionId: 'conn-1' } });
    const result = await client.order('+13125550101');
    const [req] = fake.seen('POST', '/v2/number_orders');
    expect(JSON.parse(req.body)).toEqual({ phone_numbers: [{ phone_number: '+13125550101' }], connection_id: 'conn-1' });
    expect(req.headers['content-type']).toBe('application/json');
    expect(result).toEqual({
      number: '+13125550101', carrierModule: 'knm_telnyx', orderId: '12ade33a-21c0-473b-b055-b3c836e1c292', status: 'pending', sandbox: false,
    });
  });

  it('accepts the recorded legacy order answer', async () => {
    const { client } = await start(() => json(recorded('telnyx_order.json')));
    await expect(client.order('+13013596695')).resolves.toMatchObject({ orderId: '411389090580137691', status: 'complete' });
  });

  it('fails an order Telnyx marks as failed', async () => {
    const { client } = await start(() => json(written('telnyx_v2_number_order_failure.json')));
    await expect(client.order('+13125550101')).rejects.toMatchObject({ kind: 'rejected', retriable: false });
  });

  it('reserves with POST /v2/number_reservations', async () => {
    const { fake, client } = await start(() => json(written('telnyx_v2_number_reservation.json')));
    const result = await client.reserve!('+13125550101');
    expect(JSON.parse(fake.seen('POST', '/v2/number_reservations')[0].body)).toEqual({ phone_numbers: [{ phone_number: '+13125550101' }] });
    expect(result).toMatchObject({ reservationId: '12ade33a-21c0-473b-b055-b3c836e1c293', expiresAt: '2024-01-01T00:30:00.000000Z', sandbox: false });
  });

  it('disconnects by looking the exact number up (digits, as Telnyx filters) and deleting it by id', async () => {
    const { fake, client } = await start((req) => json(written(req.method === 'DELETE' ? 'telnyx_v2_delete_phone_number.json' : 'telnyx_v2_phone_numbers.json')));
    await expect(client.disconnect('+13125550101')).resolves.toBe('disconnected');
    expect(fake.seen('GET', '/v2/phone_numbers')[0].query.get('filter[phone_number]')).toBe('13125550101');
    expect(fake.seen('DELETE', '/v2/phone_numbers/1293384261075731499')).toHaveLength(1);
  });

  it('skips a partial match that comes first and deletes only the exact number', async () => {
    const { fake, client } = await start((req) => req.method === 'DELETE'
      ? json(written('telnyx_v2_delete_phone_number.json'))
      : json({ data: [
        { id: 'other-1', phone_number: '+113125550101', status: 'active' },
        { id: 'exact-1', phone_number: '+13125550101', status: 'active' },
      ], meta: { total_pages: 1, page_number: 1 } }));
    await client.disconnect('+13125550101');
    expect(fake.seen('DELETE', /.*/).map((r) => r.path)).toEqual(['/v2/phone_numbers/exact-1']);
  });

  it('reads further pages of containment matches to find the exact one', async () => {
    const { fake, client } = await start((req) => {
      if (req.method === 'DELETE') return json(written('telnyx_v2_delete_phone_number.json'));
      const page = Number(req.query.get('page[number]'));
      const size = Number(req.query.get('page[size]'));
      const data = page === 1
        ? Array.from({ length: size }, (_, i) => ({ id: `p-${i}`, phone_number: `+1312555010${i}9`, status: 'active' }))
        : [{ id: 'exact-2', phone_number: '+13125550101', status: 'active' }];
      return json({ data, meta: { total_pages: 2, page_number: page } });
    });
    await client.disconnect('+13125550101');
    expect(fake.seen('DELETE', /.*/).map((r) => r.path)).toEqual(['/v2/phone_numbers/exact-2']);
  });

  it('refuses to disconnect when the lookup misses, or lists only partial matches: nothing deleted', async () => {
    const { fake, client } = await start(() => json(written('telnyx_v2_phone_numbers_empty.json')));
    await expect(client.disconnect('+13125550101')).rejects.toMatchObject({ code: 'carrier_fault', kind: 'rejected' });
    await fake.close();
    const partial = await start(() => json({ data: [{ id: 'other-1', phone_number: '+113125550101' }], meta: { total_pages: 1 } }));
    await expect(partial.client.disconnect('+13125550101')).rejects.toMatchObject({ code: 'carrier_fault' });
    expect(partial.fake.seen('DELETE', /.*/)).toHaveLength(0);
  });

  it('refuses an ambiguous answer (two records for the same number)', async () => {
    const { fake, client } = await start(() => json({ data: [
      { id: 'a', phone_number: '+13125550101' }, { id: 'b', phone_number: '+13125550101' },
    ], meta: { total_pages: 1 } }));
    await expect(client.disconnect('+13125550101')).rejects.toMatchObject({ code: 'carrier_fault' });
    expect(fake.seen('DELETE', /.*/)).toHaveLength(0);
  });

  it('reports a refused DELETE as a fault, and a 404 or a deleted record as Telnyx not having the number', async () => {
    const lookup = json(written('telnyx_v2_phone_numbers.json'));
    const refused = await start((req) => req.method === 'DELETE' ? json({ errors: [{ title: 'Deletion lock enabled' }] }, 422) : lookup);
    await expect(refused.client.disconnect('+13125550101')).rejects.toMatchObject({ status: 422, message: expect.stringContaining('Deletion lock') });
    await refused.fake.close();
    const gone = await start((req) => req.method === 'DELETE' ? json({ errors: [{ title: 'Resource not found' }] }, 404) : lookup);
    await expect(gone.client.disconnect('+13125550101')).resolves.toBe('not_held');
    await gone.fake.close();
    const deleted = await start(() => json({ data: [{ id: 'x', phone_number: '+13125550101', status: 'deleted' }], meta: { total_pages: 1 } }));
    await expect(deleted.client.disconnect('+13125550101')).resolves.toBe('not_held');
    expect(deleted.fake.seen('DELETE', /.*/)).toHaveLength(0);
  });

  describe('a pending order', () => {
    const order = (status: string, numberStatus = status) => json({ data: {
      id: 'ord-9', record_type: 'number_order', status, phone_numbers: [{ phone_number: '+13125550101', status: numberStatus }],
    } });
    const polled = (answers: string[]) => {
      let i = 0;
      return (req: { method: string; path: string }) => {
        if (req.method === 'POST') return order('pending');
        const status = answers[Math.min(i++, answers.length - 1)];
        return order(status);
      };
    };

    it('is polled with GET /v2/number_orders/{id} until Telnyx says success', async () => {
      const { fake, client } = await start(polled(['pending', 'success']), { orderPoll: { attempts: 3, intervalMs: 0 } });
      await expect(client.order('+13125550101')).resolves.toMatchObject({ orderId: 'ord-9', status: 'complete' });
      expect(fake.seen('GET', '/v2/number_orders/ord-9')).toHaveLength(2);
    });

    it('that fails is a fault', async () => {
      const { client } = await start(polled(['failure']), { orderPoll: { attempts: 3, intervalMs: 0 } });
      await expect(client.order('+13125550101')).rejects.toMatchObject({ code: 'carrier_fault', kind: 'rejected' });
    });

    it('still pending after the bound is reported pending, and answers later through orderStatus', async () => {
      const answers = ['pending'];
      const { fake, client } = await start(polled(answers), { orderPoll: { attempts: 2, intervalMs: 0 } });
      await expect(client.order('+13125550101')).resolves.toMatchObject({ orderId: 'ord-9', status: 'pending' });
      expect(fake.seen('GET', '/v2/number_orders/ord-9')).toHaveLength(2);
      answers[0] = 'success';
      await expect(client.orderStatus!('+13125550101', 'ord-9')).resolves.toEqual({ status: 'complete' });
      answers[0] = 'failure';
      await expect(client.orderStatus!('+13125550101', 'ord-9')).resolves.toMatchObject({ status: 'failed' });
    });
  });

  it('lists the account\'s numbers page after page', async () => {
    const { fake, client } = await start((req) => {
      const page = Number(req.query.get('page[number]'));
      return json({ data: [{ phone_number: `+1312555000${page}`, status: page === 2 ? 'purchase_pending' : 'active' }], meta: { total_pages: 3, page_number: page } });
    });
    const pages: unknown[] = [];
    for await (const page of client.listNumbers!()) pages.push(...page);
    expect(pages).toEqual([
      { number: '+13125550001', upstreamState: 'active' },
      { number: '+13125550002', upstreamState: 'purchase_pending' },
      { number: '+13125550003', upstreamState: 'active' },
    ]);
    expect(fake.requests.map((r) => r.query.get('page[number]'))).toEqual(['1', '2', '3']);
  });

  it('turns a 4xx into a non-retriable fault carrying Telnyx\'s error text', async () => {
    const { client } = await start(() => json(written('telnyx_v2_error_422.json'), 422));
    const fault = await client.order('+13125550101').catch((e: unknown) => e);
    expect(fault).toBeInstanceOf(CarrierFault);
    expect(fault).toMatchObject({ module: 'knm_telnyx', status: 422, retriable: false, kind: 'http' });
    expect((fault as Error).message).toContain('The phone number is no longer available.');
  });

  it('turns a 5xx into a retriable fault', async () => {
    const { client } = await start(() => ({ status: 503, body: 'upstream down' }));
    await expect(client.search({ prefix: '312', quantity: 1 })).rejects.toMatchObject({ status: 503, retriable: true });
  });

  it('rejects malformed bodies', async () => {
    const { client } = await start(() => ({ status: 200, body: '<html>oops', contentType: 'text/html' }));
    await expect(client.search({ prefix: '312', quantity: 1 })).rejects.toMatchObject({ kind: 'malformed' });
    await fake?.close();
    const other = await start(() => json({ unexpected: true }));
    await expect(other.client.search({ prefix: '312', quantity: 1 })).rejects.toMatchObject({ kind: 'malformed' });
    await expect(other.client.order('+13125550101')).rejects.toMatchObject({ kind: 'malformed' });
  });

  it('gives up after the configured timeout', async () => {
    const { client } = await start(() => ({ hang: true }), { timeoutMs: 200 });
    await expect(client.search({ prefix: '312', quantity: 1 })).rejects.toMatchObject({ kind: 'timeout', retriable: true, message: expect.stringContaining('200 ms') });
  });

  it('honours the caller\'s abort signal', async () => {
    const { client } = await start(() => ({ hang: true }), { timeoutMs: 5000 });
    await expect(client.search({ prefix: '312', quantity: 1 }, AbortSignal.timeout(50))).rejects.toMatchObject({ kind: 'aborted' });
  });

  it('refuses prefixes shorter than the minimum without calling Telnyx', async () => {
    const { fake, client } = await start(() => json(written('telnyx_v2_available_phone_numbers.json')), { minSearchPrefix: 4 });
    await expect(client.search({ prefix: '312', quantity: 1 })).rejects.toMatchObject({ kind: 'invalid_request' });
    expect(fake.requests).toHaveLength(0);
    await expect(client.search({ prefix: '3125', quantity: 1 })).resolves.toHaveLength(1);
    expect(fake.requests).toHaveLength(1);
  });

  it('in sandbox mode orders, reserves and disconnects without any purchase request', async () => {
    const { fake, client } = await start(() => json(written('telnyx_v2_available_phone_numbers.json')), { sandboxProvisioning: true });
    await expect(client.order('+13125550101')).resolves.toMatchObject({ status: 'complete', sandbox: true });
    await expect(client.reserve!('+13125550101')).resolves.toMatchObject({ sandbox: true });
    await client.disconnect('+13125550101');
    expect(await client.search({ prefix: '312', quantity: 5 })).toHaveLength(2);
    expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /v2/available_phone_numbers']);
  });

  it('refuses to order or disconnect when provisioning is disabled', async () => {
    const { fake, client } = await start(() => json(written('telnyx_v2_number_order.json')), { enableProvisioning: false });
    await expect(client.order('+13125550101')).rejects.toMatchObject({ kind: 'refused', retriable: false });
    await expect(client.disconnect('+13125550101')).rejects.toMatchObject({ kind: 'refused' });
    expect(fake.requests).toHaveLength(0);
  });
});
