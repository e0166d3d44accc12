import type {
  BlockQuery, CarrierClient, DisconnectResult, HeldNumber, OrderCheck, OrderResult, SearchQuery, UpstreamBlock, UpstreamNumber,
  UpstreamStatus,
} from '../carrier';
import { isCarrierFault } from '../carrier-fault';
import type { CarrierHttp, HttpCall } from '../carrier-http';
import type { CarrierSettings } from '../carrier-settings';
import { asObject, asString, parseJson } from '../json-body';
import { pollOrder } from '../order-polling';
import { toAmount, upstreamNumber } from '../upstream-number';

const STATUSES: readonly UpstreamStatus[] = ['available', 'pending', 'active', 'failed', 'disconnected', 'unknown'];

export function describeOtherError(body: string): string | undefined {
  const json = asObject(parseJson(body));
  return asString(asObject(json?.error)?.message) ?? asString(json?.error) ?? asString(json?.message);
}

/**
 * knm_other: the generic JSON interface operators implement in their own
 * middleware. The contract is in libs/carriers/KNM_OTHER.md.
 */
export class OtherClient implements CarrierClient {
  readonly module = 'knm_other' as const;
  readonly supportsDisconnect = true;

  constructor(private readonly http: CarrierHttp, private readonly settings: CarrierSettings) {}

  async search(query: SearchQuery, signal?: AbortSignal): Promise<UpstreamNumber[]> {
    const json = await this.json({
      operation: 'search', method: 'GET', path: '/numbers', signal,
      query: { prefix: query.prefix, quantity: query.quantity, country: query.country, tollfree: query.tollfree },
    });
    if (!Array.isArray(json.numbers)) throw this.http.malformed('search', 'no numbers list');
    return json.numbers.map((n) => this.toNumber(n)).filter((n): n is UpstreamNumber => !!n).slice(0, query.quantity);
  }

  async searchBlocks(query: BlockQuery, signal?: AbortSignal): Promise<UpstreamBlock[]> {
    const json = await this.json({ operation: 'block search', method: 'GET', path: '/blocks', query: { prefix: query.prefix, size: query.size }, signal });
    if (!Array.isArray(json.blocks)) throw this.http.malformed('block search', 'no blocks list');
    return json.blocks.map(asObject).flatMap((b) => {
      const start = asString(b?.start);
      const end = asString(b?.end);
      const size = toAmount(b?.size);
      return start && end && size ? [{ start, end, size, carrierModule: this.module }] : [];
    });
  }

  async order(e164: string): Promise<OrderResult> {
    const json = await this.json({ operation: 'order', method: 'POST', path: `${this.numberPath(e164)}/order`, body: '{}' });
    const status = asString(json.status);
    const orderId = asString(json.orderId);
    if (status === 'failed') throw this.rejected('order', asString(json.reason) ?? 'order failed');
    if (status !== 'pending' && status !== 'complete') throw this.http.malformed('order', 'unknown order status');
    const answer = status === 'pending' ? await pollOrder(() => this.orderStatus(e164), this.settings.orderPoll) : { status: 'complete' as const };
    if (answer.status === 'failed') throw this.rejected('order', answer.reason);
    return { number: e164, carrierModule: this.module, orderId, status: answer.status, sandbox: false };
  }

  /** The middleware answers for the number, not the order: active is bought, failed (or back to available) is not. */
  async orderStatus(e164: string): Promise<OrderCheck> {
    const status = await this.status(e164);
    if (status === 'active') return { status: 'complete' };
    if (status === 'pending' || status === 'unknown') return { status: 'pending' };
    return { status: 'failed', reason: `order for ${e164} failed (number ${status})` };
  }

  async status(e164: string): Promise<UpstreamStatus> {
    const json = await this.json({ operation: 'status', method: 'GET', path: `${this.numberPath(e164)}/status` });
    const status = STATUSES.find((s) => s === json.status);
    if (!status) throw this.http.malformed('status', 'unknown number status');
    return status;
  }

  /** DELETE /numbers/{n}: 2xx disconnected; 404 is the middleware saying the account does not have it. */
  async disconnect(e164: string): Promise<DisconnectResult> {
    try {
      const json = await this.json({ operation: 'disconnect', method: 'DELETE', path: this.numberPath(e164) });
      if (json.status === 'failed') throw this.rejected('disconnect', asString(json.reason) ?? 'disconnect refused');
      return 'disconnected';
    } catch (err) {
      if (isCarrierFault(err) && err.status === 404) return 'not_held';
      throw err;
    }
  }

  /** GET /held-numbers?page=N: `{numbers: [{number, status}], nextPage}` (KNM_OTHER.md). */
  async *listNumbers(signal?: AbortSignal): AsyncIterable<HeldNumber[]> {
    for (let page: string | undefined = '1'; page;) {
      const json: Record<string, unknown> = await this.json({ operation: 'list numbers', method: 'GET', path: '/held-numbers', query: { page }, signal });
      if (!Array.isArray(json.numbers)) throw this.http.malformed('list numbers', 'no numbers list');
      const held = json.numbers.map(asObject).flatMap((n) => {
        const number = asString(n?.number);
        return number ? [{ number, upstreamState: asString(n?.status) ?? 'active' }] : [];
      });
      if (held.length > 0) yield held;
      const next: string | undefined = json.nextPage === undefined || json.nextPage === null ? undefined : `${json.nextPage as string | number}`;
      page = held.length > 0 && next !== page ? next : undefined;
    }
  }

  private toNumber(value: unknown): UpstreamNumber | undefined {
    const item = asObject(value);
    const number = asString(item?.number);
    if (!item || !number || !/^\+[1-9]\d{5,14}$/.test(number)) return undefined;
    const rate = asObject(item.rate);
    return upstreamNumber(this.module, this.settings, {
      number,
      region: asString(item.region),
      locality: asString(item.locality),
      rateCenter: asString(item.rateCenter),
      rate: rate && { upfront: toAmount(rate.upfront), monthly: toAmount(rate.monthly), currency: asString(rate.currency) },
      features: Array.isArray(item.features) ? item.features.filter((f): f is string => typeof f === 'string') : undefined,
    });
  }

  private rejected(operation: string, reason: string) {
    return this.http.fault(`knm_other ${operation}: ${reason}`, { retriable: false, kind: 'rejected' });
  }

  private numberPath(e164: string): string {
    return `/numbers/${encodeURIComponent(e164)}`;
  }

  private async json(call: Omit<HttpCall, 'headers' | 'describeError'>): Promise<Record<string, unknown>> {
    const headers: Record<string, string> = { Accept: 'application/json', ...this.authorization() };
    if (call.body) headers['Content-Type'] = 'application/json';
    const reply = await this.http.send({ ...call, headers, describeError: describeOtherError });
    if (reply.status === 204 || reply.body.trim() === '') return {};
    const json = asObject(parseJson(reply.body));
    if (!json) throw this.http.malformed(call.operation, 'not a JSON object');
    return json;
  }

  private authorization(): Record<string, string> {
    const { token, user, password } = this.settings.credentials;
    if (token) return { Authorization: `Bearer ${token}` };
    if (user) return { Authorization: `Basic ${Buffer.from(`${user}:${password ?? ''}`).toString('base64')}` };
    return {};
  }
}
