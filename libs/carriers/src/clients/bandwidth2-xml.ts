import type { UpstreamNumber } from '../carrier';
import type { CarrierSettings } from '../carrier-settings';
import { nanpToE164 } from '../nanp';
import { upstreamNumber } from '../upstream-number';
import { at, list, parseXml, text, type XmlNode } from '../xml';

/** First value under `key` anywhere in the tree (Bandwidth nests `Description` in several envelopes). */
function findFirst(node: unknown, key: string): unknown {
  if (!node || typeof node !== 'object') return undefined;
  if (Array.isArray(node)) {
    for (const item of node) {
      const found = findFirst(item, key);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  const record = node as XmlNode;
  if (key in record) return record[key];
  return findFirst(Object.values(record), key);
}

/** The carrier's error text in any of its envelopes (`ErrorList/Error`, `Error`, `ResponseStatus`). */
export function bandwidthErrorText(doc: XmlNode | undefined): string | undefined {
  const description = findFirst(doc, 'Description');
  const code = text(findFirst(doc, 'Code') ?? findFirst(doc, 'ErrorCode'));
  const first: unknown = Array.isArray(description) ? description[0] : description;
  const message = text(first);
  if (!message) return undefined;
  return code ? `${code} ${message}` : message;
}

export const describeBandwidthError = (body: string): string | undefined => bandwidthErrorText(parseXml(body));

const detailToNumber = (settings: CarrierSettings) => (detail: unknown): UpstreamNumber | undefined => {
  const number = nanpToE164(text(at(detail, 'FullNumber')) ?? '');
  return number === undefined ? undefined : upstreamNumber('knm_bandwidth2', settings, {
    number,
    region: text(at(detail, 'State')),
    locality: text(at(detail, 'City')),
    rateCenter: text(at(detail, 'RateCenter')),
  });
};

const plainToNumber = (settings: CarrierSettings) => (tn: unknown): UpstreamNumber | undefined => {
  const number = nanpToE164(text(tn) ?? '');
  return number === undefined ? undefined : upstreamNumber('knm_bandwidth2', settings, { number });
};

/** `SearchResult` with or without TN detail; undefined when it is something else. */
export function parseSearchResult(doc: XmlNode, settings: CarrierSettings): UpstreamNumber[] | undefined {
  const result = doc.SearchResult;
  if (result === undefined) return undefined;
  const details = list(at(result, 'TelephoneNumberDetailList', 'TelephoneNumberDetail')).map(detailToNumber(settings));
  const plain = list(at(result, 'TelephoneNumberList', 'TelephoneNumber')).map(plainToNumber(settings));
  return [...details, ...plain].filter((n): n is UpstreamNumber => !!n);
}

export interface OrderState {
  id?: string;
  status?: string;
  error?: string;
}

export function parseOrderResponse(doc: XmlNode): OrderState | undefined {
  const response = doc.OrderResponse;
  if (response === undefined) return undefined;
  return {
    id: text(at(response, 'Order', 'id')),
    status: text(at(response, 'OrderStatus'))?.toUpperCase(),
    error: bandwidthErrorText(at(response, 'ErrorList') as XmlNode | undefined),
  };
}
