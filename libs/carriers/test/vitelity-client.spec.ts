import { createCarrierClient } from '../src/create-carrier-client';
import { FakeCarrier, recorded, SECRET, settingsFor, written, xml, type Route } from './fake-carrier';

describe('knm_vitelity client', () => {
  let fake: FakeCarrier | undefined;
  afterEach(async () => fake?.close());

  const start = async (route: Route, extra = {}) => {
    fake = await FakeCarrier.start(route);
    return { fake, client: createCarrierClient('knm_vitelity', settingsFor('knm_vitelity', `${fake.url}/api.php`, { options: { routesip: 'sip1' }, ...extra })) };
  };

  it('lists an NPA with login, pass and cmd=listnpa', async () => {
    const { fake, client } = await start(() => xml(recorded('vitelity_listnpa.xml')));
    const numbers = await client.search({ prefix: '987', quantity: 5 });
    const [req] = fake.requests;
    expect(req.path).toBe('/api.php');
    expect(Object.fromEntries(req.query)).toEqual({ login: `user-${SECRET}`, pass: `pw-${SECRET}`, cmd: 'listnpa', npa: '987', xml: 'yes' });
    expect(numbers).toEqual([
      expect.objectContaining({ number: '+19875551234', carrierModule: 'knm_vitelity', region: 'ZZ', rateCenter: 'ANYCITY' }),
      expect.objectContaining({ number: '+19875559876' }),
    ]);
  });

  it('lists an NPA-NXX for longer prefixes and trims to the prefix and quantity', async () => {
    const { fake, client } = await start(() => xml(recorded('vitelity_listnpanxx.xml')));
    const numbers = await client.search({ prefix: '9875559', quantity: 5 });
    expect(fake.requests[0].query.get('cmd')).toBe('listnpanxx');
    expect(fake.requests[0].query.get('npanxx')).toBe('987555');
    expect(numbers.map((n) => n.number)).toEqual(['+19875559876']);
  });

  it('lists toll-free numbers', async () => {
    const { fake, client } = await start(() => xml(recorded('vitelity_listtollfree.xml')));
    const numbers = await client.search({ prefix: '800', quantity: 5, tollfree: true });
    expect(fake.requests[0].query.get('cmd')).toBe('listtollfree');
    expect(numbers.map((n) => n.number)).toEqual(['+18005551212']);
  });

  it('answers an empty list for empty results', async () => {
    const { client } = await start(() => xml(written('vitelity_empty.xml')));
    await expect(client.search({ prefix: '987', quantity: 5 })).resolves.toEqual([]);
  });

  it('orders a local DID with getlocaldid and a toll-free one with gettollfree', async () => {
    const { fake, client } = await start(() => xml(written('vitelity_ok.xml')));
    await expect(client.order('+19875551234')).resolves.toMatchObject({ status: 'complete', sandbox: false });
    await client.order('+18005551212');
    expect(fake.requests.map((r) => [r.query.get('cmd'), r.query.get('did'), r.query.get('routesip')])).toEqual([
      ['getlocaldid', '9875551234', 'sip1'], ['gettollfree', '8005551212', 'sip1'],
    ]);
  });

  it('disconnects with removedid', async () => {
    const { fake, client } = await start(() => xml(written('vitelity_ok.xml')));
    await client.disconnect('+19875551234');
    expect(fake.requests[0].query.get('cmd')).toBe('removedid');
    expect(fake.requests[0].query.get('did')).toBe('9875551234');
  });

  it('confirms a disconnect only on ok: a refused removedid is a fault', async () => {
    const ok = await start(() => xml(written('vitelity_ok.xml')));
    await expect(ok.client.disconnect('+19875551234')).resolves.toBe('disconnected');
    await ok.fake.close();
    const refused = await start(() => xml('<?xml version="1.0"?><content><status>fail</status><error>DID not on your account</error></content>'));
    await expect(refused.client.disconnect('+19875551234')).rejects.toMatchObject({ code: 'carrier_fault', message: 'knm_vitelity disconnect: DID not on your account' });
  });

  it('orders synchronously: ok is the confirmation, never pending', async () => {
    const { client } = await start(() => xml(written('vitelity_ok.xml')));
    await expect(client.order('+19875551234')).resolves.toMatchObject({ status: 'complete' });
    expect(client.orderStatus).toBeUndefined();
  });

  it('lists the account\'s DIDs with listdids', async () => {
    const { fake, client } = await start(() => xml('<?xml version="1.0"?><content><status>ok</status><numbers><did><number>9875551234</number></did><did><number>9875551235</number></did></numbers></content>'));
    const held: string[] = [];
    for await (const page of client.listNumbers!()) held.push(...page.map((h) => h.number));
    expect(held).toEqual(['+19875551234', '+19875551235']);
    expect(fake.requests[0].query.get('cmd')).toBe('listdids');
  });

  it('turns status=fail into a fault with Vitelity\'s reason', async () => {
    const { client } = await start(() => xml(written('vitelity_fail.xml')));
    await expect(client.order('+19875551234')).rejects.toMatchObject({ kind: 'rejected', message: 'knm_vitelity order: did is not available' });
  });

  it('maps 4xx and 5xx to faults', async () => {
    const { client } = await start((req) => ({ status: req.query.get('cmd') === 'listnpa' ? 403 : 502, body: 'no' }));
    await expect(client.search({ prefix: '987', quantity: 1 })).rejects.toMatchObject({ status: 403, retriable: false });
    await expect(client.disconnect('+19875551234')).rejects.toMatchObject({ status: 502, retriable: true });
  });

  it('rejects malformed bodies', async () => {
    const { client } = await start(() => ({ status: 200, body: 'x=1&y=2' }));
    await expect(client.search({ prefix: '987', quantity: 1 })).rejects.toMatchObject({ kind: 'malformed' });
  });

  it('gives up after the configured timeout', async () => {
    const { client } = await start(() => ({ hang: true }), { timeoutMs: 200 });
    await expect(client.order('+19875551234')).rejects.toMatchObject({ kind: 'timeout', message: expect.stringContaining('200 ms') });
  });

  it('in sandbox mode never calls getlocaldid or removedid', async () => {
    const { fake, client } = await start(() => xml(written('vitelity_ok.xml')), { sandboxProvisioning: true });
    await expect(client.order('+19875551234')).resolves.toMatchObject({ sandbox: true });
    await client.disconnect('+19875551234');
    expect(fake.requests).toHaveLength(0);
  });
});
