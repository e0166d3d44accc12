import { createCarrierClient } from '../src/create-carrier-client';
import { parseXml } from '../src/xml';
import { FakeCarrier, recorded, SECRET, settingsFor, written, xml, type Route } from './fake-carrier';

const soapBody = (raw: string, operation: string) =>
  (parseXml(raw)?.Envelope as Record<string, Record<string, Record<string, unknown>>>).Body[operation];

describe('knm_voip_innovations client (SOAP)', () => {
  let fake: FakeCarrier | undefined;
  afterEach(async () => fake?.close());

  const start = async (route: Route, extra = {}) => {
    fake = await FakeCarrier.start(route);
    return { fake, client: createCarrierClient('knm_voip_innovations', settingsFor('knm_voip_innovations', `${fake.url}/api2.pl`, { options: { endpointId: '8674' }, ...extra })) };
  };

  it('searches with a getDIDs envelope and parses the DID locators', async () => {
    const { fake, client } = await start(() => xml(recorded('voip_innovations_get_response.xml')));
    const numbers = await client.search({ prefix: '435', quantity: 2 });

    const [req] = fake.requests;
    expect(req.method).toBe('POST');
    expect(req.headers.soapaction).toBe('"http://tempuri.org/getDIDs"');
    expect(req.headers['content-type']).toContain('text/xml');
    expect(req.body).toContain('<getDIDs xmlns="http://tempuri.org/">');
    expect(soapBody(req.body, 'getDIDs')).toMatchObject({ login: `user-${SECRET}`, secret: `pw-${SECRET}`, npa: '435', nxx: '' });
    expect(numbers).toEqual([
      expect.objectContaining({ number: '+14352016526', carrierModule: 'knm_voip_innovations', region: 'UT', rateCenter: 'RICHFIELD' }),
      expect.objectContaining({ number: '+14352016527' }),
    ]);
  });

  it('searches toll-free numbers and six-digit prefixes', async () => {
    const { fake, client } = await start(() => xml(recorded('voip_innovations_get_tollfree_response.xml')));
    const numbers = await client.search({ prefix: '877220', quantity: 5, tollfree: true });
    expect(soapBody(fake.requests[0].body, 'getDIDs')).toMatchObject({ npa: '877', nxx: '220' });
    expect(numbers.map((n) => n.number)).toEqual(['+18772207304']);
  });

  it('answers an empty list for empty results', async () => {
    const { client } = await start(() => xml(written('voip_innovations_get_empty_response.xml')));
    await expect(client.search({ prefix: '435', quantity: 2 })).resolves.toEqual([]);
  });

  it('orders with assignDID to the configured endpoint group', async () => {
    const { fake, client } = await start(() => xml(recorded('voip_innovations_assign_response.xml')));
    await expect(client.order('+14352154006')).resolves.toMatchObject({ status: 'complete', sandbox: false });
    expect(fake.requests[0].headers.soapaction).toBe('"http://tempuri.org/assignDID"');
    expect(soapBody(fake.requests[0].body, 'assignDID')).toMatchObject({ didParams: { DIDParam: { tn: '4352154006', epg: '8674' } } });
  });

  it('fails an order whose DID was not assigned', async () => {
    const { client } = await start(() => xml(written('voip_innovations_assign_refused.xml')));
    await expect(client.order('+14352154006')).rejects.toMatchObject({ kind: 'rejected', message: 'knm_voip_innovations order: Number not available' });
  });

  it('disconnects with releaseDID', async () => {
    const { fake, client } = await start(() => xml(recorded('voip_innovations_release_response.xml')));
    await client.disconnect('+14352154974');
    expect(soapBody(fake.requests[0].body, 'releaseDID')).toMatchObject({ tn: '4352154974' });
  });

  it('confirms the recorded release (DID back to available) and refuses a DID the carrier did not release', async () => {
    const ok = await start(() => xml(recorded('voip_innovations_release_response.xml')));
    await expect(ok.client.disconnect('+14352154974')).resolves.toBe('disconnected');
    await ok.fake.close();
    const refused = await start(() => xml(recorded('voip_innovations_release_response.xml')
      .replace('Number currently available', 'Number not assigned to this account').replace('106231', '107')));
    await expect(refused.client.disconnect('+14352154974')).rejects.toMatchObject({ code: 'carrier_fault', message: expect.stringContaining('not assigned') });
  });

  it('orders synchronously (status code 100 confirms) and offers no list of the account\'s DIDs', async () => {
    const { client } = await start(() => xml(recorded('voip_innovations_assign_response.xml')));
    expect(client.orderStatus).toBeUndefined();
    expect(client.listNumbers).toBeUndefined();
  });

  it('checks a number with queryDID', async () => {
    const { client } = await start(() => xml(recorded('voip_innovations_query_response.xml')));
    await expect(client.status!('+14353198001')).resolves.toBe('active');
  });

  it('turns a SOAP fault (HTTP 500) into a retriable fault with its faultstring', async () => {
    const { client } = await start(() => xml(written('voip_innovations_fault.xml'), 500));
    await expect(client.search({ prefix: '435', quantity: 1 })).rejects.toMatchObject({
      status: 500, retriable: true, message: 'knm_voip_innovations search: HTTP 500: Server was unable to process request.',
    });
  });

  it('turns a 4xx into a non-retriable fault', async () => {
    const { client } = await start(() => ({ status: 401, body: 'Unauthorized' }));
    await expect(client.order('+14352154006')).rejects.toMatchObject({ status: 401, retriable: false });
  });

  it('rejects malformed bodies and envelopes without a result', async () => {
    const { client } = await start((req) => xml(req.body.includes('getDIDs') ? '<soap:Envelope' : recorded('voip_innovations_release_response.xml')));
    await expect(client.search({ prefix: '435', quantity: 1 })).rejects.toMatchObject({ kind: 'malformed' });
    await expect(client.order('+14352154006')).rejects.toMatchObject({ kind: 'malformed' });
  });

  it('gives up after the configured timeout', async () => {
    const { client } = await start(() => ({ hang: true }), { timeoutMs: 200 });
    await expect(client.disconnect('+14352154974')).rejects.toMatchObject({ kind: 'timeout', message: expect.stringContaining('200 ms') });
  });

  it('in sandbox mode never calls assignDID or releaseDID', async () => {
    const { fake, client } = await start(() => xml(recorded('voip_innovations_assign_response.xml')), { sandboxProvisioning: true });
    await expect(client.order('+14352154006')).resolves.toMatchObject({ sandbox: true });
    await client.disconnect('+14352154006');
    expect(fake.requests).toHaveLength(0);
  });
});
