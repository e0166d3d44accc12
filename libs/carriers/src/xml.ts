import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';

/** Tags that are lists in the carriers' XML even when only one element comes back. */
const LIST_TAGS = new Set(['TelephoneNumber', 'TelephoneNumberDetail', 'Error', 'did', 'DIDLocator', 'DID']);

const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: true,
  isArray: (tagName) => LIST_TAGS.has(tagName),
});

const builder = new XMLBuilder({ ignoreAttributes: true, suppressEmptyNode: false });

export type XmlNode = Record<string, unknown>;

/** Undefined when `text` is not well-formed XML. */
export function parseXml(text: string): XmlNode | undefined {
  if (!text.trim() || XMLValidator.validate(text) !== true) return undefined;
  const parsed: unknown = parser.parse(text);
  return parsed && typeof parsed === 'object' ? (parsed as XmlNode) : undefined;
}

/** Serializes with escaping of text values (credentials may hold `&` or `<`). */
export const buildXml = (root: XmlNode): string => `<?xml version="1.0" encoding="UTF-8"?>${builder.build(root)}`;

/** Walks nested objects: `at(doc, 'SearchResult', 'ResultCount')`. */
export function at(node: unknown, ...path: string[]): unknown {
  let current = node;
  for (const key of path) {
    if (!current || typeof current !== 'object') return undefined;
    current = (current as XmlNode)[key];
  }
  return current;
}

export const text = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;

export const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined || value === '' ? [] : [value]);
