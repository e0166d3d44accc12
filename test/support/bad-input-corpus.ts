/**
 * A corpus of malformed requests generated from the served `/openapi.json`: for
 * every route and method, hostile values for each path and query parameter and
 * each body field, and hostile bodies, URLs and headers as a whole (SPEC 12).
 * Deterministic: the same document and seed give the same corpus.
 */

export interface CorpusRequest {
  label: string;
  method: string;
  /** Raw path and query, already escaped (some on purpose badly). */
  url: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

type Schema = { type?: string; $ref?: string; properties?: Record<string, Schema>; items?: Schema; enum?: unknown[]; example?: unknown };
type Operation = { parameters?: Array<{ name: string; in: string; schema?: Schema }>; requestBody?: { content?: Record<string, { schema?: Schema }> } };
export interface OpenApi { paths: Record<string, Record<string, Operation>>; components?: { schemas?: Record<string, Schema> } }

/** Values a well-behaved client would send, by parameter name. */
export interface Seeds {
  pathValues: Record<string, string>;
  queryValues: Record<string, string>;
}

const LONE_SURROGATE_JSON = '"a\\ud800b"';
const DEEP = (n: number) => '['.repeat(n) + ']'.repeat(n);

/** Hostile raw (already URL-encoded) values for a path segment. */
export const HOSTILE_SEGMENTS: Record<string, string> = {
  nul: '%00',
  control: 'a%07b',
  'lone surrogate (CESU-8)': '%ED%A0%80',
  'invalid UTF-8': '%FF%FE',
  'bad escape': '%zz',
  'truncated escape': 'a%4',
  'long segment': '9'.repeat(300),
  'huge segment': 'x'.repeat(5000),
  'dot segment': '..',
};

/** Hostile raw values for a query parameter. */
export const HOSTILE_QUERY: Record<string, string> = {
  ...HOSTILE_SEGMENTS,
  empty: '',
  negative: '-1',
  float: '1.5',
  'beyond int32': '2147483648',
  '1e308': '1e308',
  'not a number': 'x',
  'malformed cursor': '%%%',
  'cursor of NUL': Buffer.from('\u0000').toString('base64url'),
  'cursor of JSON': Buffer.from('{"after":{"$gt":""}}').toString('base64url'),
  'cursor of invalid UTF-8': Buffer.from([0xff, 0xfe, 0x00]).toString('base64url'),
  'repeated parameter': 'a&$name=b',
  'huge string': 'q'.repeat(9000),
  'date out of range': '%2B275760-09-13T00:00:00.000Z',
  'date at year 0': '0000-01-01T00:00:00Z',
};

/** Hostile JSON texts for one body field. */
export const HOSTILE_FIELD: Record<string, string> = {
  nul: '"a\\u0000b"',
  'lone surrogate': LONE_SURROGATE_JSON,
  'huge string': JSON.stringify('s'.repeat(60_000)),
  'beyond int32': '2147483648',
  '1e308': '1e308',
  negative: '-1',
  float: '1.5',
  'numeric string': '"x"',
  null: 'null',
  'empty object': '{}',
  'object instead of scalar': '{"a":"\\u0000"}',
  list: '[1,"a\\ud800",null]',
  'deep value': DEEP(2000),
  'date out of range': '"+275760-09-13T00:00:00.000Z"',
  'not a date': '"tomorrow"',
};

/** Hostile bodies as a whole. */
const HOSTILE_BODIES: Array<{ label: string; body: string | Buffer; type: string }> = [
  { label: 'nested 10,000 deep', body: DEEP(10_000), type: 'application/json' },
  { label: 'object nested 10,000 deep', body: `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`, type: 'application/json' },
  { label: 'text/csv to a JSON route', body: 'e164,account_id\n+14155550100,acme\n', type: 'text/csv' },
  { label: 'form body', body: 'a=b', type: 'application/x-www-form-urlencoded' },
  { label: 'invalid JSON', body: '{"a":', type: 'application/json' },
  { label: 'null body', body: 'null', type: 'application/json' },
  { label: 'list body', body: '[]', type: 'application/json' },
  { label: 'string body', body: '"\\u0000"', type: 'application/json' },
  { label: 'NUL key', body: '{"\\u0000":1}', type: 'application/json' },
  { label: 'prototype pollution', body: '{"__proto__":{"admin":true},"constructor":{"prototype":{"x":1}}}', type: 'application/json' },
  { label: 'invalid UTF-8 bytes', body: Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xff, 0xfe, 0xed, 0xa0, 0x80]), Buffer.from('"}')]), type: 'application/json; charset=utf-8' },
];

function resolve(doc: OpenApi, schema: Schema | undefined): Schema | undefined {
  if (schema?.$ref) return doc.components?.schemas?.[schema.$ref.split('/').pop()!];
  return schema;
}

function fillPath(template: string, values: Record<string, string>, override?: { name: string; raw: string }): string {
  return template.replace(/\{([^}]+)\}/g, (_m, name: string) =>
    override?.name === name ? override.raw : encodeURIComponent(values[name] ?? 'x'));
}

function sampleValue(schema: Schema | undefined): unknown {
  if (!schema) return 'x';
  if (schema.example !== undefined) return schema.example;
  if (schema.enum) return schema.enum[0];
  switch (schema.type) {
    case 'number': case 'integer': return 1;
    case 'boolean': return false;
    case 'array': return [sampleValue(schema.items)];
    case 'object': return {};
    default: return 'x';
  }
}

/** Every hostile request for every route and method of `doc`. */
export function buildCorpus(doc: OpenApi, seeds: Seeds): CorpusRequest[] {
  const out: CorpusRequest[] = [];
  for (const [template, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const verb = method.toUpperCase();
      const params = op.parameters ?? [];
      const query = params.filter((p) => p.in === 'query');
      const path = fillPath(template, seeds.pathValues);
      const baseQuery = query.map((p) => `${p.name}=${encodeURIComponent(seeds.queryValues[p.name] ?? String(sampleValue(p.schema)))}`);
      const bodySchema = resolve(doc, op.requestBody?.content?.['application/json']?.schema);
      const baseBody: Record<string, unknown> = {};
      for (const [name, s] of Object.entries(bodySchema?.properties ?? {})) baseBody[name] = sampleValue(resolve(doc, s));
      const json = { 'content-type': 'application/json' };
      const hasBody = !!bodySchema;
      const request = (label: string, url: string, body?: string | Buffer, headers: Record<string, string> = hasBody ? json : {}) =>
        out.push({ label: `${verb} ${template}: ${label}`, method: verb, url, headers, body: body ?? (hasBody ? JSON.stringify(baseBody) : undefined) });

      for (const p of params.filter((x) => x.in === 'path')) {
        for (const [label, raw] of Object.entries(HOSTILE_SEGMENTS)) request(`path ${p.name} ${label}`, fillPath(template, seeds.pathValues, { name: p.name, raw }));
      }
      for (const p of query) {
        for (const [label, raw] of Object.entries(HOSTILE_QUERY)) {
          const others = baseQuery.filter((q) => !q.startsWith(`${p.name}=`));
          request(`query ${p.name} ${label}`, `${path}?${[...others, `${p.name}=${raw.replace('$name', p.name)}`].join('&')}`);
        }
      }
      const url = baseQuery.length > 0 ? `${path}?${baseQuery.join('&')}` : path;
      if (hasBody) {
        const fields = Object.keys(bodySchema?.properties ?? {});
        if (template.endsWith('/features')) fields.push('e911', 'cnam', 'prepend', 'ringback', 'failover', 'force_outbound');
        for (const field of fields) {
          for (const [label, raw] of Object.entries(HOSTILE_FIELD)) {
            const text = JSON.stringify({ ...baseBody, [field]: '__HOSTILE__' }).replace('"__HOSTILE__"', raw);
            request(`body ${field} ${label}`, url, text);
          }
          request(`body ${field} nested hostile`, url, JSON.stringify({ ...baseBody, [field]: { street_address: 'x'.repeat(100_000), name: '\u0000' } }));
        }
      }
      for (const b of HOSTILE_BODIES) request(`body ${b.label}`, url, b.body, { 'content-type': b.type });
      request('URL over 16 KB', `${url}${url.includes('?') ? '&' : '?'}pad=${'p'.repeat(17 * 1024)}`);
      request('header over 16 KB', url, undefined, { ...(hasBody ? json : {}), 'x-padding': 'h'.repeat(17 * 1024) });
      request('many headers', url, undefined, { ...(hasBody ? json : {}), ...Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`x-h${i}`, 'v'.repeat(60)])) });
      request('bad escape in the query', `${url}${url.includes('?') ? '&' : '?'}%zz=%`);
    }
  }
  return out;
}

/** A deterministic sample of `n` requests (mulberry32 with `seed`), keeping the order of the corpus. */
export function sample<T>(items: T[], n: number, seed: number): T[] {
  if (items.length <= n) return items;
  let a = seed >>> 0;
  const random = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const keyed = items.map((item, i) => ({ item, i, k: random() }));
  return keyed.sort((x, y) => x.k - y.k).slice(0, n).sort((x, y) => x.i - y.i).map((x) => x.item);
}
