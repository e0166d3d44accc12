import type { CarrierClient, OrderResult, ReservationResult, SearchQuery } from './carrier';
import type { CarrierHttp } from './carrier-http';
import { meetsMinimumPrefix, type CarrierSettings } from './carrier-settings';

const E164 = /^\+[1-9]\d{5,14}$/;

/**
 * The module settings every client obeys, applied around the raw client:
 * minimum search prefix, `enableProvisioning` (false: buying and giving back
 * are refused) and `sandboxProvisioning` (the carrier's purchase and
 * disconnect endpoints are never called; a synthetic success answers).
 * Searching and status checks still reach the carrier in sandbox mode.
 */
export function withProvisioningRules(raw: CarrierClient, settings: CarrierSettings, http: CarrierHttp): CarrierClient {
  const module = raw.module;
  const refuse = (operation: string) =>
    http.fault(`${module} ${operation}: provisioning is disabled for this module (enableProvisioning is false)`, { retriable: false, kind: 'refused' });

  const checkNumber = (operation: string, e164: string): void => {
    if (!E164.test(e164)) throw http.fault(`${module} ${operation}: not an E.164 number`, { retriable: false, kind: 'invalid_request' });
  };

  const checkQuery = (query: SearchQuery): void => {
    if (!meetsMinimumPrefix(query.prefix, settings)) {
      throw http.fault(`${module} search: prefix must be at least ${settings.minSearchPrefix} digits`, { retriable: false, kind: 'invalid_request' });
    }
  };

  const guarded = async <T>(operation: string, e164: string, real: () => Promise<T>, sandbox: () => T): Promise<T> => {
    checkNumber(operation, e164);
    if (!settings.enableProvisioning) throw refuse(operation);
    if (settings.sandboxProvisioning) {
      http.debug(`${operation} answered by sandbox`, { number: e164 });
      return sandbox();
    }
    return real();
  };

  const client: CarrierClient = {
    module,
    supportsDisconnect: raw.supportsDisconnect,
    search: async (query, signal) => {
      checkQuery(query);
      return query.quantity > 0 ? raw.search(query, signal) : [];
    },
    order: (e164) => guarded('order', e164, () => raw.order(e164), (): OrderResult => ({
      number: e164, carrierModule: module, orderId: `sandbox-${Date.now()}`, status: 'complete', sandbox: true,
    })),
    disconnect: (e164) => guarded('disconnect', e164, () => raw.disconnect(e164), () => 'disconnected' as const),
  };
  if (raw.orderStatus) {
    const orderStatus = raw.orderStatus.bind(raw);
    client.orderStatus = (e164, orderId) => guarded('order status', e164, () => orderStatus(e164, orderId), () => ({ status: 'complete' as const }));
  }
  if (raw.listNumbers) client.listNumbers = raw.listNumbers.bind(raw);
  if (raw.reserve) {
    const reserve = raw.reserve.bind(raw);
    client.reserve = (e164) => guarded('reserve', e164, () => reserve(e164), (): ReservationResult => ({
      number: e164, carrierModule: module, reservationId: `sandbox-${Date.now()}`, sandbox: true,
    }));
  }
  if (raw.searchBlocks) {
    const searchBlocks = raw.searchBlocks.bind(raw);
    client.searchBlocks = async (query, signal) => {
      checkQuery({ prefix: query.prefix, quantity: 1 });
      return searchBlocks(query, signal);
    };
  }
  if (raw.status) client.status = raw.status.bind(raw);
  return client;
}
