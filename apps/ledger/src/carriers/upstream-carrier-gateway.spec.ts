import { CarrierConfigError, CarrierFault, type CarrierClient, type FeatureProvider } from '@ledger/carriers';
import { foldNumber } from '@ledger/domain';
import { LedgerError } from '@ledger/domain/errors';
import { numberEvents as ev } from '@ledger/domain/test/number-events';
import type { NumberEvent } from '@ledger/domain/types';
import type { CarrierDirectory } from './carrier-directory';
import { UpstreamCarrierGateway } from './upstream-carrier-gateway';

const N = '+14155550100';
const E911 = { callerName: 'ACME', streetAddress: '1 Main St', locality: 'SF', region: 'CA', postalCode: '94000' };

/** A directory whose clients record every upstream call as `<operation> <number> (<account>)`. */
function recordingDirectory(fail?: Error, orderStatus: 'complete' | 'pending' = 'complete', ownCarrierAccounts: Record<string, string> = {}) {
  const calls: string[] = [];
  const act = (what: string, answer?: unknown) => async () => {
    if (fail) throw fail;
    calls.push(what);
    return answer;
  };
  const directory = {
    logger: { debug: () => undefined, warn: () => undefined },
    carrierAccountOf: async (_module: string, accountId: string | null) => (accountId && ownCarrierAccounts[accountId]) ?? null,
    clientFor: async (module: string, accountId: string | null) => ({
      module, supportsDisconnect: true,
      order: act(`order ${module} (${accountId})`, { status: orderStatus, orderId: 'ord-1' }),
      disconnect: act(`disconnect ${module} (${accountId})`, 'disconnected'),
    }) as unknown as CarrierClient,
    featureProviderFor: async (module: string) => ({
      module,
      applyE911: act('apply e911'), removeE911: act('remove e911'), applyCnam: act('apply cnam'), removeCnam: act('remove cnam'),
    }) as unknown as FeatureProvider,
  };
  return { calls, gateway: new UpstreamCarrierGateway(directory as unknown as CarrierDirectory) };
}

const record = (...events: NumberEvent[]) => foldNumber(N, events);
const discovered = (module: 'knm_telnyx' | 'knm_bandwidth2' = 'knm_telnyx') => record(ev.discovered({ carrierModule: module }));
const inService = (features = {}) => record(
  ev.discovered(), ev.acquired('acct', { from: 'discovery', orderFromCarrier: true }), ev.featuresSet(features),
);

describe('UpstreamCarrierGateway', () => {
  it('orders a discovered number for the account taking it, on reserve and on acquire', async () => {
    const { calls, gateway } = recordingDirectory();
    const reserve = [ev.reserved('res', { from: 'discovery', orderFromCarrier: true })];
    const acquire = [ev.acquired('cust', { from: 'discovery', orderFromCarrier: true })];
    expect(gateway.needsUpstream(discovered(), reserve)).toBe(true);
    await gateway.beforeAppend(discovered(), reserve);
    await gateway.beforeAppend(discovered('knm_bandwidth2'), acquire);
    expect(calls).toEqual(['order knm_telnyx (res)', 'order knm_bandwidth2 (cust)']);
  });

  it('buys a discovered number only through the carrier account that found it (SPEC 12)', async () => {
    const { calls, gateway } = recordingDirectory(undefined, 'complete', { cust: 'r1' });
    const foundByR1 = record(ev.discovered({ poolAccountId: 'r1' }));
    const acquireFor = (account: string) => [ev.acquired(account, { from: 'discovery', orderFromCarrier: true })];
    await gateway.beforeAppend(foundByR1, acquireFor('cust'));
    // R1's offer on the operator's account, and the operator's offer on R1's account: both refused, nothing ordered.
    await expect(gateway.beforeAppend(foundByR1, acquireFor('stranger'))).rejects.toMatchObject({ code: 'unauthorized' });
    const refused = gateway.beforeAppend(discovered(), acquireFor('cust'));
    await expect(refused).rejects.toMatchObject({ code: 'unauthorized', message: expect.not.stringContaining('r1') });
    expect(calls).toEqual(['order knm_telnyx (cust)']);
  });

  it('disconnects a number through the reseller account that bought it, whoever holds it now', async () => {
    const { calls, gateway } = recordingDirectory();
    const bought = record(ev.discovered({ poolAccountId: 'r1' }), ev.acquired('cust', { from: 'discovery', orderFromCarrier: true }));
    await gateway.beforeAppend(bought, [ev.released({ disconnectFromCarrier: true, prevAssignedTo: 'cust' })]);
    expect(calls).toEqual(['disconnect knm_telnyx (r1)']);
  });

  it('answers a pending order (to be recorded as pending) and applies no feature to a number not yet ours', async () => {
    const { calls, gateway } = recordingDirectory(undefined, 'pending');
    const acquire = [ev.acquired('cust', { from: 'discovery', orderFromCarrier: true })];
    await expect(gateway.beforeAppend(discovered(), acquire)).resolves.toEqual({ pendingOrder: { orderId: 'ord-1' } });
    expect(calls).toEqual(['order knm_telnyx (cust)']);
  });

  it('answers what the carrier said to a disconnect', async () => {
    const { gateway } = recordingDirectory();
    const released = [ev.released({ from: 'in_service', state: 'aging', disconnectFromCarrier: true })];
    await expect(gateway.beforeAppend(inService(), released)).resolves.toEqual({ disconnect: 'disconnected' });
  });

  it('removes upstream features before disconnecting a released number, for its last holder', async () => {
    const { calls, gateway } = recordingDirectory();
    const before = inService({ e911: E911 });
    const release = [ev.released({ disconnectFromCarrier: true, prevAssignedTo: 'acct' })];
    await gateway.beforeAppend(before, release);
    expect(calls).toEqual(['remove e911', 'disconnect knm_telnyx (acct)']);
  });

  it('applies a changed feature and leaves unchanged ones alone', async () => {
    const { calls, gateway } = recordingDirectory();
    const before = inService({ e911: E911 });
    await gateway.beforeAppend(before, [ev.featuresSet({ e911: E911, cnam: { inbound: true } })]);
    expect(calls).toEqual(['apply cnam']);
  });

  it('needs nothing upstream for local modules, discoveries, expiries and unchanged features', () => {
    const { gateway } = recordingDirectory();
    const local = record(ev.added({ carrierModule: 'knm_local', state: 'in_service', assignedTo: 'a' }));
    expect(gateway.needsUpstream(local, [ev.released({ disconnectFromCarrier: false })])).toBe(false);
    expect(gateway.needsUpstream(record(), [ev.discovered()])).toBe(false);
    expect(gateway.needsUpstream(discovered(), [ev.discoveryExpired()])).toBe(false);
    expect(gateway.needsUpstream(discovered(), [ev.deleted({ from: 'discovery', disconnectFromCarrier: false })])).toBe(false);
    expect(gateway.needsUpstream(inService({ e911: E911 }), [ev.featuresSet({ e911: E911 })])).toBe(false);
  });

  it('turns carrier faults and missing settings into carrier_fault (502)', async () => {
    const fault = new CarrierFault('knm_telnyx', 'knm_telnyx order: HTTP 503', { status: 503, retriable: true, kind: 'http' });
    const acquire = [ev.acquired('cust', { from: 'discovery', orderFromCarrier: true })];
    const down = recordingDirectory(fault).gateway.beforeAppend(discovered(), acquire);
    await expect(down).rejects.toMatchObject({ code: 'carrier_fault', status: 502, extra: { module: 'knm_telnyx', upstreamStatus: 503 } });
    const unset = recordingDirectory(new CarrierConfigError('knm_telnyx has no settings')).gateway.beforeAppend(discovered(), acquire);
    await expect(unset).rejects.toBeInstanceOf(LedgerError);
    await expect(unset).rejects.toMatchObject({ code: 'carrier_fault', extra: { kind: 'not_configured' } });
  });
});
