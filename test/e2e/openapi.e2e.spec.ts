import { LedgerHarness, startLedger } from '../support/ledger-harness';

/** The OpenAPI document describes request bodies and query parameters, not only the paths. */
describe('OpenAPI document', () => {
  let ledger: LedgerHarness;
  let doc: any;

  beforeAll(async () => {
    ledger = await startLedger('pglite');
    const res = await ledger.call('GET', '/openapi.json', { key: null });
    expect(res.status).toBe(200);
    doc = res.body;
  });

  afterAll(async () => {
    await ledger?.close();
  });

  /** The JSON schema of an operation's request body, with a top-level $ref resolved into components.schemas. */
  function bodySchema(path: string, method: string): any {
    const schema = doc.paths[path]?.[method]?.requestBody?.content?.['application/json']?.schema;
    expect(schema).toBeDefined();
    const ref: string | undefined = schema.$ref;
    if (!ref) return schema;
    const name = ref.replace('#/components/schemas/', '');
    const resolved = doc.components?.schemas?.[name];
    expect(resolved).toBeDefined();
    return resolved;
  }

  it('serves the docs page with its assets at /docs, and sends /docs/ there', async () => {
    const page = await fetch(`${ledger.baseUrl}/docs`);
    expect(page.status).toBe(200);
    const html = await page.text();
    const assets = [...html.matchAll(/(?:href|src)="\.?\/?([^"]+\.(?:css|js))"/g)].map((m) => m[1]);
    expect(assets.length).toBeGreaterThan(0);
    // Every body read to its end: an unread megabyte of script holds its connection open, and the service's close waits for it.
    for (const asset of assets) {
      const url = new URL(asset, `${ledger.baseUrl}/docs`);
      const res = await fetch(url);
      await res.arrayBuffer();
      expect([url.pathname, res.status]).toEqual([url.pathname, 200]);
    }
    const slash = await fetch(`${ledger.baseUrl}/docs/`, { redirect: 'manual' });
    await slash.arrayBuffer();
    expect(slash.status).toBe(301);
    expect(slash.headers.get('location')).toBe('/docs');
  });

  it('documents the body of POST /v1/numbers', () => {
    const schema = bodySchema('/v1/numbers', 'post');
    expect(Object.keys(schema.properties ?? {})).toEqual(expect.arrayContaining(['number', 'carrierModule', 'state', 'accountId']));
  });

  it('documents expiresAt on POST /v1/numbers/{number}/reserve', () => {
    const schema = bodySchema('/v1/numbers/{number}/reserve', 'post');
    expect(schema.properties).toHaveProperty('expiresAt');
  });

  it('documents the query parameters of GET /v1/numbers', () => {
    const params: any[] = doc.paths['/v1/numbers']?.get?.parameters ?? [];
    const query = params.filter((p) => p.in === 'query').map((p) => p.name);
    expect(query).toEqual(expect.arrayContaining(['prefix', 'state', 'limit', 'cursor']));
  });
});
