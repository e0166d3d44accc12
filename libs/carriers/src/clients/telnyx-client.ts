import type {
  CarrierClient, DisconnectResult, HeldNumber, OrderCheck, OrderResult, ReservationResult, SearchQuery, UpstreamNumber,
} from '../carrier';
import { isCarrierFault } from '../carrier-fault';
import type { CarrierSettings } from '../carrier-settings';
import { asObject, asString } from '../json-body';
import { pollOrder } from '../order-polling';
import { matchingQuery } from '../upstream-number';
import { totalPages, type TelnyxApi } from './telnyx-api';
import { dialCodeOf, parseSearch, searchFilters } from './telnyx-search';

/** Number order fields Telnyx applies to the bought number, from the module's `options`. */
const ORDER_OPTIONS: Record<string, string> = {
  connection_id: 'connectionId', messaging_profile_id: 'messagingProfileId',
  billing_group_id: 'billingGroupId', customer_reference: 'customerReference',
};

/** Phone number statuses by which Telnyx says the account no longer has the number. */
const GONE = ['deleted', 'ported_out'];
const LIST_PAGE_SIZE = 250;

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

  /**
   * POST /v2/number_orders; an order Telnyx answers `pending` is polled
   * (GET /v2/number_orders/{id}) within `orderPoll`, then reported pending.
   */
  async order(e164: string): Promise<OrderResult> {
    const order = await this.api.resource({
      operation: 'order', method: 'POST', path: '/v2/number_orders', json: this.orderBody(e164),
    });
    const orderId = asString(order.id);
    if (!orderId) throw this.api.http.malformed('order', 'no order id');
    let answer = this.orderCheck(order, e164);
    if (answer.status === 'pending') answer = await pollOrder(() => this.orderStatus(e164, orderId), this.settings.orderPoll);
    if (answer.status === 'failed') throw this.api.http.fault(`knm_telnyx order: ${answer.reason}`, { retriable: false, kind: 'rejected' });
    return { number: e164, carrierModule: this.module, orderId, status: answer.status, sandbox: false };
  }

  async orderStatus(e164: string, orderId: string | null): Promise<OrderCheck> {
    if (!orderId) throw this.api.http.fault('knm_telnyx order status: no order id to look up', { retriable: false, kind: 'invalid_request' });
    const order = await this.api.resource({
      operation: 'order status', method: 'GET', path: `/v2/number_orders/${encodeURIComponent(orderId)}`,
    });
    if (asString(order.id) && order.id !== orderId) throw this.api.http.malformed('order status', 'another order');
    return this.orderCheck(order, e164);
  }

  /**
   * Telnyx order statuses are `pending`, `success` and `failure`, for the order
   * and for each of its numbers; this number's own status decides when present.
   * The legacy API answered without a status once the number was bought.
   */
  private orderCheck(order: Record<string, unknown>, e164: string): OrderCheck {
    const status = this.numberStatus(order, e164) ?? asString(order.status);
    if (status === 'failure') return { status: 'failed', reason: `Telnyx failed order ${String(order.id)} for ${e164}` };
    if (status === 'pending') return { status: 'pending' };
    if (status === 'success' || (status === undefined && !('phone_numbers' in order))) return { status: 'complete' };
    throw this.api.http.malformed('order', `order status ${status ?? 'missing'}`);
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

  /**
   * Telnyx deletes by its own id, looked up by the exact number. Not listed is
   * a fault (a miss is not proof); a record Telnyx marks deleted or ported out,
   * or a DELETE answered 404, is Telnyx saying the account does not have it.
   */
  async disconnect(e164: string): Promise<DisconnectResult> {
    const record = await this.api.phoneNumber(e164, 'disconnect');
    if (!record) throw this.api.http.fault(`knm_telnyx disconnect: ${e164} is not listed on the Telnyx account`, { retriable: false, kind: 'rejected' });
    if (GONE.includes(asString(record.status) ?? '')) return 'not_held';
    try {
      const deleted = await this.api.resource({ operation: 'disconnect', method: 'DELETE', path: `/v2/phone_numbers/${encodeURIComponent(String(record.id))}` });
      if (deleted.phone_number !== undefined && deleted.phone_number !== e164) throw this.api.http.malformed('disconnect', 'another number deleted');
      return 'disconnected';
    } catch (err) {
      if (isCarrierFault(err) && err.status === 404) return 'not_held';
      throw err;
    }
  }

  /** GET /v2/phone_numbers, page after page (`page[number]`, `page[size]`, `meta.total_pages`). */
  async *listNumbers(signal?: AbortSignal): AsyncIterable<HeldNumber[]> {
    for (let page = 1; ; page++) {
      const json = await this.api.call({
        operation: 'list numbers', method: 'GET', path: '/v2/phone_numbers', signal,
        query: { 'page[number]': page, 'page[size]': LIST_PAGE_SIZE },
      });
      if (!Array.isArray(json.data)) throw this.api.http.malformed('list numbers', 'phone number list without data');
      const held = json.data.map(asObject).flatMap((n) => {
        const number = asString(n?.phone_number);
        return number ? [{ number, upstreamState: asString(n?.status) ?? 'unknown' }] : [];
      });
      if (held.length > 0) yield held;
      if (json.data.length === 0 || page >= totalPages(json)) return;
    }
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
