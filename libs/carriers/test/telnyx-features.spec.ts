import { createFeatureProvider } from '../src/create-feature-provider';
import type { E911Address, FeatureProvider } from '../src/feature-provider';
import { FakeCarrier, json, recorded, settingsFor, written, type FakeReply, type Route, type SeenRequest } from './fake-carrier';

const NUMBER = '+13125550101';
const PHONE_ID = '1293384261075731499';
const ADDRESS: E911Address = {
  callerName: 'Valued customer', streetAddress: '301 MARINA BLVD', locality: 'SAN FRANCISCO', region: 'CA', postalCode: '94123',
};

/** A Telnyx account holding NUMBER (with emergency address 1315261609962112019). */
const telnyxAccount = (overrides: (req: SeenRequest) => FakeReply | undefined = () => undefined): Route => (req) => {
  const custom = overrides(req);
  if (custom) return custom;
  if (req.method === 'GET' && req.path === '/v2/phone_numbers') return json(written('telnyx_v2_phone_numbers.json'));
  if (req.method === 'POST' && req.path === '/v2/addresses') return json(written('telnyx_v2_address.json'));
  if (req.path.endsWith('/actions/enable_emergency')) {
    return json(written(JSON.parse(req.body).emergency_enabled ? 'telnyx_v2_enable_emergency.json' : 'telnyx_v2_disable_emergency.json'));
  }
  if (req.method === 'PATCH') return json(written('telnyx_v2_voice_settings.json'));
  if (req.method === 'DELETE') return json(recorded('telnyx_delete_e911.json'));
  return { status: 404, body: '{}' };
};

describe('Telnyx feature provider (e911, CNAM)', () => {
  let fake: FakeCarrier | undefined;
  afterEach(async () => fake?.close());

  const start = async (route: Route, extra = {}): Promise<{ fake: FakeCarrier; provider: FeatureProvider }> => {
    fake = await FakeCarrier.start(route);
    return { fake, provider: createFeatureProvider('knm_telnyx', settingsFor('knm_telnyx', fake.url, extra))! };
  };

  it('exists only for knm_telnyx', () => {
    expect(createFeatureProvider('knm_vitelity', settingsFor('knm_vitelity', 'http://127.0.0.1:1'))).toBeUndefined();
  });

  it('applies e911: creates the address, enables emergency with it, drops the replaced address', async () => {
    const { fake, provider } = await start(telnyxAccount());
    await expect(provider.applyE911(NUMBER, ADDRESS)).resolves.toEqual({ addressId: '1400000000000000001', sandbox: false });

    expect(JSON.parse(fake.seen('POST', '/v2/addresses')[0].body)).toEqual({
      business_name: 'Valued customer', first_name: '', last_name: '', street_address: '301 MARINA BLVD',
      locality: 'SAN FRANCISCO', administrative_area: 'CA', postal_code: '94123', country_code: 'US',
    });
    const [enable] = fake.seen('POST', `/v2/phone_numbers/${PHONE_ID}/actions/enable_emergency`);
    expect(JSON.parse(enable.body)).toEqual({ emergency_enabled: true, emergency_address_id: '1400000000000000001' });
    expect(fake.seen('DELETE', '/v2/addresses/1315261609962112019')).toHaveLength(1);
  });

  it('accepts the recorded legacy e911 answers', async () => {
    const { provider } = await start(telnyxAccount((req) => {
      if (req.path === '/v2/addresses') return json(recorded('telnyx_create_e911.json'));
      if (req.path.endsWith('enable_emergency')) return json(recorded('telnyx_activate_e911.json'));
      return undefined;
    }));
    await expect(provider.applyE911(NUMBER, ADDRESS)).resolves.toEqual({ addressId: '421564943280637078', sandbox: false });
  });

  it('deletes the new address again when enabling emergency fails', async () => {
    const { fake, provider } = await start(telnyxAccount((req) =>
      req.path.endsWith('enable_emergency') ? json(written('telnyx_v2_error_422.json'), 422) : undefined));
    await expect(provider.applyE911(NUMBER, ADDRESS)).rejects.toMatchObject({ status: 422 });
    expect(fake.seen('DELETE', '/v2/addresses/1400000000000000001')).toHaveLength(1);
  });

  it('fails when Telnyx answers that emergency is still disabled', async () => {
    const { provider } = await start(telnyxAccount((req) =>
      req.path.endsWith('enable_emergency') ? json(written('telnyx_v2_disable_emergency.json')) : undefined));
    await expect(provider.applyE911(NUMBER, ADDRESS)).rejects.toMatchObject({ kind: 'rejected' });
  });

  it('fails e911 on a number that is not on the account', async () => {
    const { fake, provider } = await start(telnyxAccount((req) => (req.path === '/v2/phone_numbers' ? json(written('telnyx_v2_phone_numbers_empty.json')) : undefined)));
    await expect(provider.applyE911(NUMBER, ADDRESS)).rejects.toMatchObject({ kind: 'rejected' });
    expect(fake.seen('POST', /.*/)).toHaveLength(0);
  });

  it('removes e911: disables emergency and deletes the address', async () => {
    const { fake, provider } = await start(telnyxAccount());
    await provider.removeE911(NUMBER);
    const [disable] = fake.seen('POST', `/v2/phone_numbers/${PHONE_ID}/actions/enable_emergency`);
    expect(JSON.parse(disable.body)).toEqual({ emergency_enabled: false, emergency_address_id: null });
    expect(fake.seen('DELETE', '/v2/addresses/1315261609962112019')).toHaveLength(1);
  });

  it('keeps the removal when the address cannot be deleted (shared address)', async () => {
    const { provider } = await start(telnyxAccount((req) => (req.method === 'DELETE' ? json(written('telnyx_v2_error_422.json'), 422) : undefined)));
    await expect(provider.removeE911(NUMBER)).resolves.toBeUndefined();
  });

  it('applies CNAM through the number\'s voice settings', async () => {
    const { fake, provider } = await start(telnyxAccount());
    await provider.applyCnam(NUMBER, { inbound: true, outbound: 'ACME CORP' });
    const [patch] = fake.seen('PATCH', `/v2/phone_numbers/${PHONE_ID}/voice`);
    expect(JSON.parse(patch.body)).toEqual({ caller_id_name_enabled: true, cnam_listing: { cnam_listing_enabled: true, cnam_listing_details: 'ACME CORP' } });
  });

  it('accepts the recorded legacy CNAM answers', async () => {
    const { provider } = await start(telnyxAccount((req) => (req.method === 'PATCH' ? json(recorded('telnyx_activate_cnam_outbound.json')) : undefined)));
    await expect(provider.applyCnam(NUMBER, { inbound: false, outbound: 'my CNAM' })).resolves.toBeUndefined();
  });

  it('refuses a CNAM name Telnyx would reject, without calling', async () => {
    const { fake, provider } = await start(telnyxAccount());
    await expect(provider.applyCnam(NUMBER, { inbound: false, outbound: 'Way Too Long A Name Here' })).rejects.toMatchObject({ kind: 'invalid_request' });
    expect(fake.requests).toHaveLength(0);
  });

  it('removes CNAM', async () => {
    const { fake, provider } = await start(telnyxAccount());
    await provider.removeCnam(NUMBER);
    expect(JSON.parse(fake.seen('PATCH', `/v2/phone_numbers/${PHONE_ID}/voice`)[0].body)).toEqual({
      caller_id_name_enabled: false, cnam_listing: { cnam_listing_enabled: false },
    });
  });

  it('in sandbox mode changes nothing upstream', async () => {
    const { fake, provider } = await start(telnyxAccount(), { sandboxProvisioning: true });
    await expect(provider.applyE911(NUMBER, ADDRESS)).resolves.toEqual({ addressId: 'sandbox', sandbox: true });
    await provider.removeE911(NUMBER);
    await provider.applyCnam(NUMBER, { inbound: true, outbound: 'ACME' });
    await provider.removeCnam(NUMBER);
    expect(fake.requests).toHaveLength(0);
  });

  it('refuses when provisioning is disabled', async () => {
    const { fake, provider } = await start(telnyxAccount(), { enableProvisioning: false });
    await expect(provider.applyE911(NUMBER, ADDRESS)).rejects.toMatchObject({ kind: 'refused' });
    await expect(provider.removeCnam(NUMBER)).rejects.toMatchObject({ kind: 'refused' });
    expect(fake.requests).toHaveLength(0);
  });

  it('gives up after the configured timeout', async () => {
    const { provider } = await start(() => ({ hang: true }), { timeoutMs: 200 });
    await expect(provider.applyCnam(NUMBER, { inbound: true })).rejects.toMatchObject({ kind: 'timeout', message: expect.stringContaining('200 ms') });
  });
});
