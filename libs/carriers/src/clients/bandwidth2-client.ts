import type { CarrierClient, OrderResult, SearchQuery, UpstreamNumber } from '../carrier';
import type { CarrierHttp, HttpCall } from '../carrier-http';
import type { CarrierSettings } from '../carrier-settings';
import { e164ToNanp, servesCountry } from '../nanp';
import { pollUntilSettled, type PollOutcome } from '../order-polling';
import { matchingQuery } from '../upstream-number';
import { buildXml, parseXml, type XmlNode } from '../xml';
import {
  bandwidthErrorText, describeBandwidthError, parseOrderResponse, parseSearchResult, type OrderState,
} from './bandwidth2-xml';

const PENDING = new Set(['RECEIVED', 'PROCESSING', 'BACKORDERED']);

/**
 * knm_bandwidth2 over the Bandwidth dashboard XML API (basic auth with
 * `credentials.user`/`password`, account `credentials.accountId`, order
 * `options.siteId` / `options.peerId`). Orders are asynchronous: polled until
 * COMPLETE or FAILED within `orderPoll`.
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
    if (!this.settled(placed, orderId, e164).settled) {
      const statusCall = { method: 'GET' as const, path: this.accountPath(`/orders/${encodeURIComponent(orderId)}`) };
      await pollUntilSettled(
        async () => this.settled(await this.orderState('order status', statusCall), orderId, e164),
        this.settings.orderPoll,
        () => this.http.fault(
          `knm_bandwidth2 order: order ${orderId} for ${e164} still pending after ${this.settings.orderPoll.attempts} checks`,
          { retriable: true, kind: 'timeout' },
        ),
      );
    }
    return { number: e164, carrierModule: this.module, orderId, status: 'complete', sandbox: false };
  }

  async disconnect(e164: string): Promise<void> {
    const tn = this.nanp('disconnect', e164);
    const body = buildXml({
      DisconnectTelephoneNumberOrder: {
        name: `numbers-ledger disconnect ${e164}`,
        DisconnectTelephoneNumberOrderType: { TelephoneNumberList: { TelephoneNumber: tn } },
      },
    });
    const doc = await this.xml({ operation: 'disconnect', method: 'POST', path: this.accountPath('/disconnects'), body });
    const response = doc.DisconnectTelephoneNumberOrderResponse;
    if (response === undefined) throw this.http.malformed('disconnect', 'no DisconnectTelephoneNumberOrderResponse');
    const error = bandwidthErrorText(response as XmlNode);
    if (error) throw this.http.fault(`knm_bandwidth2 disconnect: ${error}`, { retriable: false, kind: 'rejected' });
  }

  private settled(state: OrderState, orderId: string, e164: string): PollOutcome<true> {
    if (state.status === 'COMPLETE') return { settled: true, value: true };
    if (state.status && PENDING.has(state.status)) return { settled: false };
    const why = state.error ?? `status ${state.status ?? 'missing'}`;
    throw this.http.fault(`knm_bandwidth2 order: order ${orderId} for ${e164} failed: ${why}`, { retriable: false, kind: 'rejected' });
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
