import type { CarrierClient, DisconnectResult, OrderResult, SearchQuery, UpstreamNumber, UpstreamStatus } from '../carrier';
import type { CarrierHttp } from '../carrier-http';
import type { CarrierSettings } from '../carrier-settings';
import { e164ToNanp, nanpToE164, servesCountry } from '../nanp';
import { matchingQuery, upstreamNumber } from '../upstream-number';
import { at, list, parseXml, text, type XmlNode } from '../xml';
import { describeSoapError, soapEnvelope, soapResult, soapFaultText, VI_NAMESPACE } from './voip-innovations-soap';

const SUCCESS = '100';

/**
 * knm_voip_innovations over the back office SOAP 1.1 API: getDIDs (search),
 * assignDID (order, to endpoint group `options.endpointId`), releaseDID
 * (disconnect), queryDID (status). Credentials `user` (login) / `password` (secret).
 * assignDID is synchronous: status code 100 is the carrier's confirmation. The
 * API offers no list of the account's DIDs, so reconciliation skips it.
 */
export class VoipInnovationsClient implements CarrierClient {
  readonly module = 'knm_voip_innovations' as const;
  readonly supportsDisconnect = true;

  constructor(private readonly http: CarrierHttp, private readonly settings: CarrierSettings) {}

  async search(query: SearchQuery, signal?: AbortSignal): Promise<UpstreamNumber[]> {
    if (!servesCountry(query.country)) return [];
    const p = query.prefix;
    const result = await this.soap('getDIDs', 'search', {
      state: '', lata: '', rateCenter: '', npa: p.slice(0, 3), nxx: p.length >= 6 ? p.slice(3, 6) : '', tier: '', t38: '', cnam: '', sms: '',
    }, signal);
    const numbers = list(at(result, 'DIDLocators', 'DIDLocator')).map((l) => this.toNumber(l)).filter((n): n is UpstreamNumber => !!n);
    return matchingQuery(numbers, query);
  }

  async order(e164: string): Promise<OrderResult> {
    const tn = this.nanp('order', e164);
    const result = await this.soap('assignDID', 'order', {
      didParams: { DIDParam: { tn, epg: this.settings.options.endpointId ?? '' } },
    });
    const did = this.didEntry(result, tn);
    const code = text(at(did, 'statusCode'));
    if (code !== SUCCESS) {
      const why = text(at(did, 'status')) ?? `status code ${code ?? 'missing'}`;
      throw this.http.fault(`knm_voip_innovations order: ${why}`, { retriable: false, kind: 'rejected' });
    }
    return { number: e164, carrierModule: this.module, status: 'complete', sandbox: false };
  }

  /**
   * `releaseDID`: response code 100, and the DID, when listed, back to available
   * (status code 100 or "Number currently available") confirms; anything else is a fault.
   */
  async disconnect(e164: string): Promise<DisconnectResult> {
    const tn = this.nanp('disconnect', e164);
    const result = await this.soap('releaseDID', 'disconnect', { tn });
    const did = this.didEntry(result, tn);
    const code = text(at(did, 'statusCode'));
    const status = text(at(did, 'status')) ?? '';
    if (did !== undefined && code !== SUCCESS && !/currently available/i.test(status)) {
      const why = status || `status code ${code ?? 'missing'}`;
      throw this.http.fault(`knm_voip_innovations disconnect: ${why}`, { retriable: false, kind: 'rejected' });
    }
    return 'disconnected';
  }

  async status(e164: string): Promise<UpstreamStatus> {
    const tn = this.nanp('status', e164);
    const result = await this.soap('queryDID', 'status', { tn });
    const availability = text(at(this.didEntry(result, tn), 'availability'))?.toLowerCase();
    if (availability === 'assigned') return 'active';
    if (availability === 'available') return 'available';
    return 'unknown';
  }

  private toNumber(locator: unknown): UpstreamNumber | undefined {
    const number = nanpToE164(text(at(locator, 'tn')) ?? '');
    return number === undefined ? undefined : upstreamNumber(this.module, this.settings, {
      number,
      region: text(at(locator, 'state')),
      rateCenter: text(at(locator, 'rateCenter')),
      features: text(at(locator, 't38')) === 'true' ? ['t38'] : undefined,
    });
  }

  private didEntry(result: XmlNode, tn: string): unknown {
    const dids = list(at(result, 'DIDs', 'DID'));
    return dids.find((d) => text(at(d, 'tn')) === tn) ?? dids[0];
  }

  private async soap(operation: string, purpose: string, params: XmlNode, signal?: AbortSignal): Promise<XmlNode> {
    const { user = '', password = '' } = this.settings.credentials;
    const reply = await this.http.send({
      operation: purpose, method: 'POST', path: '', signal, describeError: describeSoapError,
      headers: { 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: `"${VI_NAMESPACE}${operation}"` },
      body: soapEnvelope(operation, { login: user, secret: password, ...params }),
    });
    const doc = parseXml(reply.body);
    if (!doc) throw this.http.malformed(purpose, 'not XML');
    const fault = soapFaultText(doc);
    if (fault) throw this.http.fault(`knm_voip_innovations ${purpose}: ${fault}`, { retriable: false, kind: 'rejected' });
    const result = soapResult(doc, operation);
    if (!result) throw this.http.malformed(purpose, `no ${operation}Result`);
    const code = text(result.responseCode);
    if (code !== SUCCESS) {
      const why = text(result.responseMessage) ?? `response code ${code ?? 'missing'}`;
      throw this.http.fault(`knm_voip_innovations ${purpose}: ${why}`, { retriable: false, kind: 'rejected' });
    }
    return result;
  }

  private nanp(operation: string, e164: string): string {
    const tn = e164ToNanp(e164);
    if (!tn) throw this.http.fault(`knm_voip_innovations ${operation}: only +1 numbers are handled`, { retriable: false, kind: 'invalid_request' });
    return tn;
  }
}
