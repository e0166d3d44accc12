import type { CarrierClient, DisconnectResult, HeldNumber, OrderCheck, OrderResult, SearchQuery, UpstreamNumber } from '../carrier';
import type { CarrierHttp, HttpCall } from '../carrier-http';
import type { CarrierSettings } from '../carrier-settings';
import { e164ToNanp, nanpToE164, servesCountry } from '../nanp';
import { pollOrder } from '../order-polling';
import { matchingQuery } from '../upstream-number';
import { at, buildXml, list, parseXml, text, type XmlNode } from '../xml';
import {
  bandwidthErrorText, describeBandwidthError, parseOrderResponse, parseSearchResult, type OrderState,
} from './bandwidth2-xml';

const PENDING = new Set(['RECEIVED', 'PROCESSING', 'BACKORDERED']);
const LIST_PAGE_SIZE = 500;

/**
 * knm_bandwidth2 over the Bandwidth dashboard XML API (basic auth with
 * `credentials.user`/`password`, account `credentials.accountId`, order
 * `options.siteId` / `options.peerId`). Orders and disconnects are asynchronous
 * orders: polled (GET /orders/{id}, /disconnects/{id}) until COMPLETE or FAILED
 * within `orderPoll`; an order still pending then is reported pending.
 */
export class Bandwidth2Client implements CarrierClient {
  readonly module = 'knm_bandwidth2' as const;
  readonly supportsDisconnect = true;

  constructor(private readonly http: CarrierHttp, private readonly settings: CarrierSettings) {}

  async search(query: SearchQuery, signal?: AbortSignal): Promise<UpstreamNumber[]> {
    if (!servesCountry(query.country)) return [];
    const doc = await this.xml({ operation: 'search', method: 'GET', path: this.accountPath('/availableNumbers'), query: this.searchParams(query), signal });
    const numbers = parseSearchResult(doc, this.settings);
    if (!numbers) throw this.http.malformed('search', 'no SearchResult');
    const error = bandwidthErrorText(doc.SearchResult as XmlNode);
    if (numbers.length === 0 && error) throw this.http.fault(`knm_bandwidth2 search: ${error}`, { retriable: false, kind: 'rejected' });
    return matchingQuery(numbers, query);
  }

  async order(e164: string): Promise<OrderResult> {
    const tn = this.nanp('order', e164);
    const body = buildXml({ Order: this.orderFields(e164, tn) });
    const placed = await this.orderState('order', { method: 'POST', path: this.accountPath('/orders'), body });
    const orderId = placed.id;
    if (!orderId) throw this.http.malformed('order', 'no order id');
    let answer = this.orderCheck(placed, orderId, e164);
    if (answer.status === 'pending') answer = await pollOrder(() => this.orderStatus(e164, orderId), this.settings.orderPoll);
    if (answer.status === 'failed') throw this.http.fault(`knm_bandwidth2 order: ${answer.reason}`, { retriable: false, kind: 'rejected' });
    return { number: e164, carrierModule: this.module, orderId, status: answer.status, sandbox: false };
  }

  async orderStatus(e164: string, orderId: string | null): Promise<OrderCheck> {
    if (!orderId) throw this.http.fault('knm_bandwidth2 order status: no order id to look up', { retriable: false, kind: 'invalid_request' });
    const state = await this.orderState('order status', { method: 'GET', path: this.accountPath(`/orders/${encodeURIComponent(orderId)}`) });
    return this.orderCheck(state, orderId, e164);
  }

  /** A disconnect order Bandwidth accepted (RECEIVED, PROCESSING) or completed; FAILED or an error list is a fault. */
  async disconnect(e164: string): Promise<DisconnectResult> {
    const tn = this.nanp('disconnect', e164);
    const body = buildXml({
      DisconnectTelephoneNumberOrder: {
        name: `numbers-ledger disconnect ${e164}`,
        DisconnectTelephoneNumberOrderType: { TelephoneNumberList: { TelephoneNumber: tn } },
      },
    });
    const placed = await this.disconnectState('disconnect', { method: 'POST', path: this.accountPath('/disconnects'), body }, e164);
    if (placed.status === 'COMPLETE' || !placed.id) return 'disconnected';
    const statusCall = { method: 'GET' as const, path: this.accountPath(`/disconnects/${encodeURIComponent(placed.id)}`) };
    await pollOrder(async () => {
      const state = await this.disconnectState('disconnect status', statusCall, e164);
      return state.status === 'COMPLETE' ? { status: 'complete' } : { status: 'pending' };
    }, this.settings.orderPoll);
    return 'disconnected';
  }

  /** GET /accounts/{id}/inserviceNumbers?page=&size=, following the `next` link's page. */
  async *listNumbers(signal?: AbortSignal): AsyncIterable<HeldNumber[]> {
    let page: string | undefined = '1';
    while (page) {
      const doc = await this.xml({
        operation: 'list numbers', method: 'GET', path: this.accountPath('/inserviceNumbers'), query: { page, size: LIST_PAGE_SIZE }, signal,
      });
      if (doc.TNs === undefined) throw this.http.malformed('list numbers', 'no TNs');
      const held = list(at(doc, 'TNs', 'TelephoneNumbers', 'TelephoneNumber'))
        .map((tn) => nanpToE164(text(tn) ?? ''))
        .filter((n): n is string => !!n)
        .map((number) => ({ number, upstreamState: 'Inservice' }));
      if (held.length > 0) yield held;
      const next = nextPage(text(at(doc, 'TNs', 'Links', 'next')));
      page = held.length > 0 && next !== page ? next : undefined;
    }
  }

  private orderCheck(state: OrderState, orderId: string, e164: string): OrderCheck {
    if (state.status === 'COMPLETE') return { status: 'complete' };
    if (state.status && PENDING.has(state.status)) return { status: 'pending' };
    const why = state.error ?? `status ${state.status ?? 'missing'}`;
    return { status: 'failed', reason: `order ${orderId} for ${e164} failed: ${why}` };
  }

  private async disconnectState(operation: string, call: Pick<HttpCall, 'method' | 'path' | 'body'>, e164: string) {
    const doc = await this.xml({ operation, ...call });
    const response = doc.DisconnectTelephoneNumberOrderResponse;
    if (response === undefined) throw this.http.malformed(operation, 'no DisconnectTelephoneNumberOrderResponse');
    const error = bandwidthErrorText(response as XmlNode);
    const status = text(at(response, 'OrderStatus'))?.toUpperCase();
    if (error || status === 'FAILED') {
      throw this.http.fault(`knm_bandwidth2 ${operation}: ${e164}: ${error ?? 'FAILED'}`, { retriable: false, kind: 'rejected' });
    }
    if (status !== 'COMPLETE' && !(status && PENDING.has(status))) throw this.http.malformed(operation, `disconnect status ${status ?? 'missing'}`);
    return { status, id: text(at(response, 'orderRequest', 'id')) ?? text(at(response, 'OrderId')) };
  }

  private searchParams(query: SearchQuery): Record<string, string | number> {
    const p = query.prefix;
    if (query.tollfree) return { tollFreeWildCardPattern: p.slice(0, 3).padEnd(3, '*'), quantity: query.quantity };
    const [name, digits] = p.length >= 7 ? ['npaNxxx', 7] : p.length >= 6 ? ['npaNxx', 6] : ['areaCode', 3];
    return { [name]: p.slice(0, digits), enableTNDetail: 'true', quantity: query.quantity };
  }

  private orderFields(e164: string, tn: string): XmlNode {
    const fields: XmlNode = { Name: `numbers-ledger order ${e164}` };
    if (this.settings.options.siteId) fields.SiteId = this.settings.options.siteId;
    if (this.settings.options.peerId) fields.PeerId = this.settings.options.peerId;
    fields.ExistingTelephoneNumberOrderType = { TelephoneNumberList: { TelephoneNumber: tn } };
    return fields;
  }

  private async orderState(operation: string, call: Pick<HttpCall, 'method' | 'path' | 'body'>): Promise<OrderState> {
    const doc = await this.xml({ operation, ...call });
    const state = parseOrderResponse(doc);
    if (!state) throw this.http.malformed(operation, 'no OrderResponse');
    return state;
  }

  private async xml(call: Omit<HttpCall, 'headers' | 'describeError'>): Promise<XmlNode> {
    const { user = '', password = '' } = this.settings.credentials;
    const headers: Record<string, string> = {
      Accept: 'application/xml',
      Authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
    };
    if (call.body) headers['Content-Type'] = 'application/xml; charset=utf-8';
    const reply = await this.http.send({ ...call, headers, describeError: describeBandwidthError });
    const doc = parseXml(reply.body);
    if (!doc) throw this.http.malformed(call.operation, 'not XML');
    return doc;
  }

  private accountPath(suffix: string): string {
    return `/accounts/${encodeURIComponent(this.settings.credentials.accountId ?? '')}${suffix}`;
  }

  private nanp(operation: string, e164: string): string {
    const tn = e164ToNanp(e164);
    if (!tn) throw this.http.fault(`knm_bandwidth2 ${operation}: only +1 numbers are handled`, { retriable: false, kind: 'invalid_request' });
    return tn;
  }
}

/** The `page` of Bandwidth's `Link=<...?page=X&size=N>;rel="next";`. */
function nextPage(link: string | undefined): string | undefined {
  const url = link?.match(/<([^>]+)>/)?.[1];
  if (!url) return undefined;
  try {
    return new URL(url, 'http://bandwidth.invalid').searchParams.get('page') ?? undefined;
  } catch {
    return undefined;
  }
}
