import type { CarrierClient, OrderResult, ReservationResult, SearchQuery, UpstreamNumber } from '../carrier';
import type { CarrierSettings } from '../carrier-settings';
import { asObject, asString } from '../json-body';
import { matchingQuery } from '../upstream-number';
import type { TelnyxApi } from './telnyx-api';
import { dialCodeOf, parseSearch, searchFilters } from './telnyx-search';

/** Number order fields Telnyx applies to the bought number, from the module's `options`. */
const ORDER_OPTIONS: Record<string, string> = {
  connection_id: 'connectionId', messaging_profile_id: 'messagingProfileId',
  billing_group_id: 'billingGroupId', customer_reference: 'customerReference',
};

/** knm_telnyx over the Telnyx v2 API (bearer token in `credentials.token`). */
export class TelnyxClient implements CarrierClient {
  readonly module = 'knm_telnyx' as const;
  readonly supportsDisconnect = true;

  constructor(private readonly api: TelnyxApi, private readonly settings: CarrierSettings) {}

  async search(query: SearchQuery, signal?: AbortSignal): Promise<UpstreamNumber[]> {
    const country = (query.country ?? 'US').toUpperCase();
    const dialCode = dialCodeOf(country);
    if (!dialCode) throw this.api.http.fault(`knm_telnyx search: unknown country ${country}`, { retriable: false, kind: 'invalid_request' });
    const json = await this.api.call({
      operation: 'search', method: 'GET', path: '/v2/available_phone_numbers', query: searchFilters(query, country), signal,
    });
    const numbers = parseSearch(json, this.settings);
    if (!numbers) throw this.api.http.malformed('search', 'no data list');
    return matchingQuery(numbers, query, dialCode);
  }

  async order(e164: string): Promise<OrderResult> {
    const order = await this.api.resource({
      operation: 'order', method: 'POST', path: '/v2/number_orders', json: this.orderBody(e164),
    });
    const orderId = asString(order.id);
    if (!orderId) throw this.api.http.malformed('order', 'no order id');
    if (order.status === 'failure' || this.numberStatus(order, e164) === 'failure') {
      throw this.api.http.fault(`knm_telnyx order: Telnyx failed order ${orderId} for ${e164}`, { retriable: false, kind: 'rejected' });
    }
    return { number: e164, carrierModule: this.module, orderId, status: order.status === 'pending' ? 'pending' : 'complete', sandbox: false };
  }

  async reserve(e164: string): Promise<ReservationResult> {
    const reservation = await this.api.resource({
      operation: 'reserve', method: 'POST', path: '/v2/number_reservations', json: { phone_numbers: [{ phone_number: e164 }] },
    });
    const reservationId = asString(reservation.id);
    if (!reservationId) throw this.api.http.malformed('reserve', 'no reservation id');
    if (reservation.status === 'failure') {
      throw this.api.http.fault(`knm_telnyx reserve: Telnyx refused to reserve ${e164}`, { retriable: false, kind: 'rejected' });
    }
    const reserved = this.numberEntry(reservation, e164);
    return { number: e164, carrierModule: this.module, reservationId, expiresAt: asString(reserved?.expired_at), sandbox: false };
  }

  /** Telnyx deletes by its own id; a number it does not know is already gone. */
  async disconnect(e164: string): Promise<void> {
    const id = asString((await this.api.phoneNumber(e164, 'disconnect'))?.id);
    if (!id) {
      this.api.http.warn('disconnect: number not on the Telnyx account, nothing to disconnect', { number: e164 });
      return;
    }
    await this.api.call({ operation: 'disconnect', method: 'DELETE', path: `/v2/phone_numbers/${encodeURIComponent(id)}` });
  }

  private orderBody(e164: string): Record<string, unknown> {
    const body: Record<string, unknown> = { phone_numbers: [{ phone_number: e164 }] };
    for (const [field, option] of Object.entries(ORDER_OPTIONS)) {
      const value = this.settings.options[option];
      if (value) body[field] = value;
    }
    return body;
  }

  private numberEntry(resource: Record<string, unknown>, e164: string): Record<string, unknown> | undefined {
    const entries = Array.isArray(resource.phone_numbers) ? resource.phone_numbers.map(asObject) : [];
    return entries.find((n) => n?.phone_number === e164);
  }

  private numberStatus(order: Record<string, unknown>, e164: string): string | undefined {
    return asString(this.numberEntry(order, e164)?.status);
  }
}
