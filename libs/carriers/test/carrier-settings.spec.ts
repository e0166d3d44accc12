import { CarrierConfigError, CarrierFault, toLedgerError } from '../src/carrier-fault';
import {
  completeSettings, meetsMinimumPrefix, redactSettings, resolveCarrierSettings, type CarrierConfig,
} from '../src/carrier-settings';
import { createCarrierClient } from '../src/create-carrier-client';
import { SECRET } from './fake-carrier';

describe('carrier settings', () => {
  it('completes a module\'s settings with the defaults', () => {
    const s = completeSettings('knm_telnyx', { credentials: { token: 't' } });
    expect(s).toMatchObject({
      baseUrl: 'https://api.telnyx.com', enableProvisioning: true, sandboxProvisioning: false,
      costs: { activation: 0, monthly: 0 }, minSearchPrefix: 3, timeoutMs: 5000, debug: false,
    });
  });

  it('lets a reseller override the system per module, credentials as a whole', () => {
    const system: CarrierConfig = {
      enabledModules: ['knm_local', 'knm_telnyx', 'knm_bandwidth2'],
      modules: {
        knm_telnyx: { credentials: { token: 'system-token' }, costs: { activation: 1, monthly: 2 }, timeoutMs: 3000 },
        knm_bandwidth2: { credentials: { user: 'sys', password: 'sys-pw', accountId: '1' }, options: { siteId: '1' } },
      },
    };
    const reseller: CarrierConfig = {
      modules: {
        knm_telnyx: { costs: { monthly: 5 }, sandboxProvisioning: true },
        knm_bandwidth2: { credentials: { user: 'res', password: 'res-pw', accountId: '2' }, options: { peerId: '9' } },
      },
    };
    const resolved = resolveCarrierSettings(system, reseller);
    expect(resolved.enabledModules).toEqual(['knm_telnyx', 'knm_bandwidth2']);
    expect(resolved.settings.knm_telnyx).toMatchObject({
      credentials: { token: 'system-token' }, costs: { activation: 1, monthly: 5 }, timeoutMs: 3000, sandboxProvisioning: true,
    });
    expect(resolved.settings.knm_bandwidth2?.credentials).toEqual({ user: 'res', password: 'res-pw', accountId: '2' });
    // The reseller's own account: the system's site id is not its.
    expect(resolved.settings.knm_bandwidth2?.options).toEqual({ peerId: '9' });
    expect(resolveCarrierSettings(system).settings.knm_telnyx?.sandboxProvisioning).toBe(false);
  });

  it('never lends the system\'s credentials or options to a reseller that points the module at an endpoint of its own', () => {
    const system: CarrierConfig = {
      enabledModules: ['knm_telnyx'],
      modules: { knm_telnyx: { baseUrl: 'https://api.telnyx.com/v2', credentials: { token: 'system-token' }, options: { connectionId: 'sys-conn' }, timeoutMs: 3000 } },
    };
    const elsewhere = resolveCarrierSettings(system, { modules: { knm_telnyx: { baseUrl: 'https://reseller.example/v2', enableProvisioning: true } } });
    expect(elsewhere.settings.knm_telnyx).toMatchObject({ baseUrl: 'https://reseller.example/v2', credentials: {}, options: {}, timeoutMs: 3000 });
    const sameEndpoint = resolveCarrierSettings(system, { modules: { knm_telnyx: { baseUrl: 'https://API.telnyx.com/v2/', options: { messagingProfile: 'm' } } } });
    expect(sameEndpoint.settings.knm_telnyx).toMatchObject({ credentials: { token: 'system-token' }, options: { connectionId: 'sys-conn', messagingProfile: 'm' } });
    // The system on the module's default endpoint, the reseller naming it: the same endpoint.
    const byDefault = resolveCarrierSettings({ enabledModules: ['knm_telnyx'], modules: { knm_telnyx: { credentials: { token: 'system-token' } } } }, { modules: { knm_telnyx: { baseUrl: 'https://api.telnyx.com' } } });
    expect(byDefault.settings.knm_telnyx?.credentials).toEqual({ token: 'system-token' });
  });

  it('takes the reseller\'s module list when it has one and reports modules that cannot be enabled', () => {
    const resolved = resolveCarrierSettings(
      { enabledModules: ['knm_telnyx'] },
      { enabledModules: ['knm_vitelity', 'knm_bandwidth', 'knm_nope'] },
    );
    expect(resolved.enabledModules).toEqual(['knm_vitelity']);
    expect(resolved.rejected).toEqual([
      { module: 'knm_bandwidth', reason: expect.stringContaining('knm_bandwidth2') },
      { module: 'knm_nope', reason: 'unknown carrier module knm_nope' },
    ]);
  });

  it('redacts credentials to presence markers', () => {
    const s = completeSettings('knm_bandwidth2', { credentials: { user: SECRET, password: SECRET, accountId: SECRET, token: '' } });
    const redacted = redactSettings(s);
    expect(redacted.credentials).toEqual({ user: '***', password: '***', accountId: '***' });
    expect(JSON.stringify(redacted)).not.toContain(SECRET);
    expect(s.credentials.user).toBe(SECRET);
  });

  it('checks the minimum search prefix', () => {
    expect(meetsMinimumPrefix('41', { minSearchPrefix: 3 })).toBe(false);
    expect(meetsMinimumPrefix('415', { minSearchPrefix: 3 })).toBe(true);
    expect(meetsMinimumPrefix('41x', { minSearchPrefix: 3 })).toBe(false);
  });
});

describe('createCarrierClient', () => {
  it('refuses knm_bandwidth with a message pointing to knm_bandwidth2', () => {
    expect(() => createCarrierClient('knm_bandwidth', {})).toThrow(CarrierConfigError);
    expect(() => createCarrierClient('knm_bandwidth', {})).toThrow(/deprecated.*use knm_bandwidth2/);
  });

  it('refuses unknown and non-integration modules', () => {
    expect(() => createCarrierClient('knm_martian', {})).toThrow('unknown carrier module knm_martian');
    expect(() => createCarrierClient('knm_local', {})).toThrow(CarrierConfigError);
  });

  it('names missing settings without quoting any value', () => {
    expect(() => createCarrierClient('knm_bandwidth2', { credentials: { user: SECRET } }))
      .toThrow('knm_bandwidth2: missing credentials password, accountId');
    expect(() => createCarrierClient('knm_other', { credentials: { token: SECRET } })).toThrow('knm_other: baseUrl is not configured');
  });

  it('builds every integration module', () => {
    const clients = [
      createCarrierClient('knm_telnyx', { credentials: { token: 't' } }),
      createCarrierClient('knm_bandwidth2', { credentials: { user: 'u', password: 'p', accountId: 'a' } }),
      createCarrierClient('knm_vitelity', { credentials: { user: 'u', password: 'p' } }),
      createCarrierClient('knm_voip_innovations', { credentials: { user: 'u', password: 'p' } }),
      createCarrierClient('knm_other', { baseUrl: 'http://127.0.0.1:1' }),
    ];
    expect(clients.map((c) => [c.module, c.supportsDisconnect])).toEqual([
      ['knm_telnyx', true], ['knm_bandwidth2', true], ['knm_vitelity', true], ['knm_voip_innovations', true], ['knm_other', true],
    ]);
  });
});

describe('CarrierFault', () => {
  it('maps to the ledger\'s carrier_fault error (502)', () => {
    const error = toLedgerError(new CarrierFault('knm_telnyx', 'knm_telnyx order: HTTP 503: Deletion lock; hex=5a656272612d73336372337426', { status: 503, retriable: true, kind: 'http' }));
    expect(error).toMatchObject({ code: 'carrier_fault', status: 502, extra: { module: 'knm_telnyx', upstreamStatus: 503, retriable: true } });
    // Reasons in words stay; token-like runs (a credential quoted back in a form no scrubber knows) do not.
    expect(error.detail).toBe('knm_telnyx order: HTTP 503: Deletion lock; ***');
  });
});
