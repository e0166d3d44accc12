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

  /** The Telnyx record of a number we own (`id`, `emergency_address_id`...), undefined when Telnyx does not know it. */
  async phoneNumber(e164: string, operation: string): Promise<Record<string, unknown> | undefined> {
    const json = await this.call({
      operation, method: 'GET', path: '/v2/phone_numbers', query: { 'filter[phone_number]': e164, 'page[size]': 1 },
    });
    if (!Array.isArray(json.data)) throw this.http.malformed(operation, 'phone number list without data');
    const match = json.data.map(asObject).find((n) => n?.phone_number === e164);
    if (match && !asString(match.id)) throw this.http.malformed(operation, 'phone number without id');
    return match;
  }

  async requirePhoneNumber(e164: string, operation: string): Promise<{ id: string; record: Record<string, unknown> }> {
    const record = await this.phoneNumber(e164, operation);
    if (!record) throw this.http.fault(`knm_telnyx ${operation}: ${e164} is not on the Telnyx account`, { retriable: false, kind: 'rejected' });
    return { id: String(record.id), record };
  }
}
