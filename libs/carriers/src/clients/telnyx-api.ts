import type { CarrierHttp, HttpCall } from '../carrier-http';
import type { CarrierSettings } from '../carrier-settings';
import { asObject, asString, parseJson } from '../json-body';

/** Telnyx v2 error bodies: `{errors: [{title, detail}]}`; the legacy API answered `{message}`. */
export function describeTelnyxError(body: string): string | undefined {
  const json = asObject(parseJson(body));
  const first = asObject(Array.isArray(json?.errors) ? json.errors[0] : undefined);
  if (first) return [asString(first.title), asString(first.detail)].filter(Boolean).join(': ') || undefined;
  return asString(json?.message);
}

const LOOKUP_PAGE_SIZE = 250;
/** Containment matches of one number's digits beyond this many pages are not looked through. */
const LOOKUP_PAGES = 8;

/** `meta.total_pages` of a paged answer (1 when absent). */
export function totalPages(json: Record<string, unknown>): number {
  const pages = Number(asObject(json.meta)?.total_pages);
  return Number.isFinite(pages) && pages > 0 ? pages : 1;
}

type JsonCall = Omit<HttpCall, 'headers' | 'body' | 'describeError'> & { json?: unknown };

/** Bearer-token JSON calls to the Telnyx v2 API, shared by the number client and the feature provider. */
export class TelnyxApi {
  constructor(readonly http: CarrierHttp, private readonly settings: CarrierSettings) {}

  async call(call: JsonCall): Promise<Record<string, unknown>> {
    const headers: Record<string, string> = {
      Accept: 'application/json',
      Authorization: `Bearer ${this.settings.credentials.token ?? ''}`,
    };
    if (call.json !== undefined) headers['Content-Type'] = 'application/json';
    const body = call.json === undefined ? undefined : JSON.stringify(call.json);
    const reply = await this.http.send({ ...call, headers, body, describeError: describeTelnyxError });
    if (reply.status === 204 || reply.body.trim() === '') return {};
    const json = asObject(parseJson(reply.body));
    if (!json) throw this.http.malformed(call.operation, 'not a JSON object');
    return json;
  }

  /** v2 wraps resources in `data`; the legacy API returned them bare. */
  async resource(call: JsonCall): Promise<Record<string, unknown>> {
    const json = await this.call(call);
    return asObject(json.data) ?? json;
  }

  /**
   * The Telnyx record of a number on the account, undefined when Telnyx lists
   * none. Telnyx filters `filter[phone_number]` on digits only (anything else
   * matches nothing) and by containment, so other numbers holding the same
   * digits may come first: every page of the answer is read and only an exact
   * E.164 match counts; two different records for it are ambiguous.
   */
  async phoneNumber(e164: string, operation: string): Promise<Record<string, unknown> | undefined> {
    const matches = new Map<string, Record<string, unknown>>();
    for (let page = 1; page <= LOOKUP_PAGES; page++) {
      const json = await this.call({
        operation, method: 'GET', path: '/v2/phone_numbers',
        query: { 'filter[phone_number]': e164.replace(/\D/g, ''), 'page[number]': page, 'page[size]': LOOKUP_PAGE_SIZE },
      });
      if (!Array.isArray(json.data)) throw this.http.malformed(operation, 'phone number list without data');
      for (const record of json.data.map(asObject)) {
        if (record?.phone_number !== e164) continue;
        const id = asString(record.id);
        if (!id) throw this.http.malformed(operation, 'phone number without id');
        matches.set(id, record);
      }
      if (json.data.length < LOOKUP_PAGE_SIZE || page >= totalPages(json)) break;
    }
    if (matches.size > 1) {
      throw this.http.fault(`knm_telnyx ${operation}: Telnyx lists ${matches.size} records for ${e164}`, { retriable: false, kind: 'malformed' });
    }
    return [...matches.values()][0];
  }

  async requirePhoneNumber(e164: string, operation: string): Promise<{ id: string; record: Record<string, unknown> }> {
    const record = await this.phoneNumber(e164, operation);
    if (!record) throw this.http.fault(`knm_telnyx ${operation}: ${e164} is not on the Telnyx account`, { retriable: false, kind: 'rejected' });
    return { id: String(record.id), record };
  }
}
