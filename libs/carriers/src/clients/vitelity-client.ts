import type { CarrierClient, DisconnectResult, HeldNumber, OrderResult, SearchQuery, UpstreamNumber } from '../carrier';
import type { CarrierHttp } from '../carrier-http';
import type { CarrierSettings } from '../carrier-settings';
import { e164ToNanp, nanpToE164, servesCountry } from '../nanp';
import { matchingQuery, upstreamNumber } from '../upstream-number';
import { at, list, parseXml, text, type XmlNode } from '../xml';

const TOLLFREE_NPA = /^8(00|33|44|55|66|77|88)/;

const describeVitelityError = (body: string): string | undefined => text(at(parseXml(body), 'content', 'error'));

/**
 * knm_vitelity: `GET api.php?login=&pass=&cmd=...&xml=yes` (credentials
 * `user`/`password`; optional `options.routesip` for where bought DIDs route).
 * Answers are `<content><status>ok|fail</status>...</content>`. Orders are
 * synchronous: `ok` is the carrier's confirmation, never pending.
 */
export class VitelityClient implements CarrierClient {
  readonly module = 'knm_vitelity' as const;
  readonly supportsDisconnect = true;

  constructor(private readonly http: CarrierHttp, private readonly settings: CarrierSettings) {}

  async search(query: SearchQuery, signal?: AbortSignal): Promise<UpstreamNumber[]> {
    if (!servesCountry(query.country)) return [];
    const content = await this.command('search', this.searchCommand(query), signal);
    const dids = list(at(content, 'numbers', 'did'));
    const numbers = dids.map((did) => this.toNumber(did)).filter((n): n is UpstreamNumber => !!n);
    return matchingQuery(numbers, query);
  }

  async order(e164: string): Promise<OrderResult> {
    const did = this.nanp('order', e164);
    const cmd = TOLLFREE_NPA.test(did) ? 'gettollfree' : 'getlocaldid';
    await this.command('order', { cmd, did, routesip: this.settings.options.routesip });
    return { number: e164, carrierModule: this.module, status: 'complete', sandbox: false };
  }

  /** `removedid` answers ok once the DID left the account; anything else is a fault. */
  async disconnect(e164: string): Promise<DisconnectResult> {
    await this.command('disconnect', { cmd: 'removedid', did: this.nanp('disconnect', e164) });
    return 'disconnected';
  }

  /** `listdids`: the account's DIDs in one answer. */
  async *listNumbers(signal?: AbortSignal): AsyncIterable<HeldNumber[]> {
    const content = await this.command('list numbers', { cmd: 'listdids' }, signal);
    const held = list(at(content, 'numbers', 'did'))
      .map((did) => nanpToE164(text(did) ?? text(at(did, 'number')) ?? text(at(did, 'did')) ?? ''))
      .filter((n): n is string => !!n)
      .map((number) => ({ number, upstreamState: 'active' }));
    if (held.length > 0) yield held;
  }

  private searchCommand(query: SearchQuery): Record<string, string> {
    if (query.tollfree) return { cmd: 'listtollfree' };
    if (query.prefix.length >= 6) return { cmd: 'listnpanxx', npanxx: query.prefix.slice(0, 6) };
    return { cmd: 'listnpa', npa: query.prefix.slice(0, 3) };
  }

  /** `listtollfree` answers bare `<did>8005551212</did>`, the others `<did><number/>...</did>`. */
  private toNumber(did: unknown): UpstreamNumber | undefined {
    const number = nanpToE164(text(did) ?? text(at(did, 'number')) ?? '');
    return number === undefined ? undefined : upstreamNumber(this.module, this.settings, {
      number, region: text(at(did, 'state')), rateCenter: text(at(did, 'ratecenter')),
    });
  }

  private async command(operation: string, params: Record<string, string | undefined>, signal?: AbortSignal): Promise<XmlNode> {
    const { user, password } = this.settings.credentials;
    const reply = await this.http.send({
      operation, method: 'GET', path: '', signal, describeError: describeVitelityError,
      query: { login: user, pass: password, ...params, xml: 'yes' },
    });
    const content = parseXml(reply.body)?.content;
    if (!content || typeof content !== 'object') throw this.http.malformed(operation, 'no <content>');
    const node = content as XmlNode;
    const status = text(node.status);
    if (status === 'ok') return node;
    if (status === undefined) throw this.http.malformed(operation, 'no <status>');
    const reason = text(node.error) ?? status;
    throw this.http.fault(`knm_vitelity ${operation}: ${reason}`, { retriable: false, kind: 'rejected' });
  }

  private nanp(operation: string, e164: string): string {
    const tn = e164ToNanp(e164);
    if (!tn) throw this.http.fault(`knm_vitelity ${operation}: only +1 numbers are handled`, { retriable: false, kind: 'invalid_request' });
    return tn;
  }
}
