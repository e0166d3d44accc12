import { inspect } from 'node:util';
import type { CarrierClient, IntegrationModule } from '../src/carrier';
import { completeSettings, redactSettings } from '../src/carrier-settings';
import { createCarrierClient } from '../src/create-carrier-client';
import { createFeatureProvider } from '../src/create-feature-provider';
import { captureLogs, FakeCarrier, SECRET, settingsFor, type SeenRequest } from './fake-carrier';

/** Everything a misbehaving upstream could send back about our request. */
const echo = (req: SeenRequest) => [
  `path=${req.path}`, `query=${req.query.toString()}`, `raw=${decodeURIComponent(req.query.toString())}`,
  `auth=${req.headers.authorization ?? ''}`, `body=${req.body}`,
  // As upstreams also quote it: the auth header URL-encoded (a Basic token's "=" as %3D), texts in another letter case.
  `auth-url=${encodeURIComponent(req.headers.authorization ?? '')}`, `lower=${decodeURIComponent(req.query.toString()).toLowerCase()}`,
  `upper-body=${req.body.toUpperCase()}`,
].join('\n');

/** Error bodies in each carrier's own format, each quoting the request back. */
const ERROR_BODY: Record<IntegrationModule, (req: SeenRequest) => string> = {
  knm_telnyx: (req) => JSON.stringify({ errors: [{ title: 'Bad', detail: echo(req) }] }),
  knm_bandwidth2: (req) => `<SearchResult><Error><Code>1</Code><Description><![CDATA[${echo(req)}]]></Description></Error></SearchResult>`,
  knm_vitelity: (req) => `<content><status>fail</status><error><![CDATA[${echo(req)}]]></error></content>`,
  knm_voip_innovations: (req) => `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><soap:Fault><faultstring><![CDATA[${echo(req)}]]></faultstring></soap:Fault></soap:Body></soap:Envelope>`,
  knm_other: (req) => JSON.stringify({ error: { message: echo(req) } }),
};

const MODULES: IntegrationModule[] = ['knm_telnyx', 'knm_bandwidth2', 'knm_vitelity', 'knm_voip_innovations', 'knm_other'];

/** Every serialization a fault can go through on its way to a log or an API answer. */
const renderings = (error: unknown): string[] => [String(error), JSON.stringify(error), inspect(error, { depth: 5 }), (error as Error).stack ?? ''];

/** Runs of base64 (either alphabet) in a text, the text also read with its URL escapes undone. */
const base64Runs = (text: string): string[] => {
  let unescaped = text;
  try {
    unescaped = decodeURIComponent(text);
  } catch {
    // not URL-encoded as a whole: the raw text is searched
  }
  return [...`${text}\n${unescaped}`.matchAll(/[A-Za-z0-9+/_-]{12,}={0,2}/g)].map((m) => m[0]);
};

const assertNoSecret = (texts: string[]) => {
  for (const text of texts) {
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(encodeURIComponent(SECRET));
    expect(text.toLowerCase()).not.toContain('zebra');
    for (const run of base64Runs(text)) expect(Buffer.from(run, 'base64').toString('latin1').toLowerCase()).not.toContain('zebra');
  }
};

describe('credentials never leak', () => {
  let fake: FakeCarrier | undefined;
  afterEach(async () => fake?.close());

  const calls = (client: CarrierClient): Array<() => Promise<unknown>> => [
    () => client.search({ prefix: '312', quantity: 2 }),
    () => client.order('+13125550101'),
    () => client.disconnect('+13125550101'),
  ];

  describe.each(MODULES)('%s', (module) => {
    it.each([400, 500])('from faults and debug logs when the upstream echoes the request in a %i', async (status) => {
      fake = await FakeCarrier.start((req) => ({ status, body: ERROR_BODY[module](req) }));
      const { logger, lines } = captureLogs();
      const client = createCarrierClient(module, settingsFor(module, fake.url, { debug: true }), { logger });
      for (const call of calls(client)) {
        const error = await call().then(() => new Error('expected a fault'), (e: unknown) => e);
        expect(error).toMatchObject({ code: 'carrier_fault', module, status });
        assertNoSecret(renderings(error));
      }
      expect(fake.requests.length).toBeGreaterThan(0);
      expect(lines.length).toBeGreaterThan(0);
      assertNoSecret(lines);
    });

    it('from faults and logs for malformed 200 answers echoing the request', async () => {
      fake = await FakeCarrier.start((req) => ({ status: 200, body: `<<<${echo(req)}` }));
      const { logger, lines } = captureLogs();
      const client = createCarrierClient(module, settingsFor(module, fake.url, { debug: true }), { logger });
      const error = await client.search({ prefix: '312', quantity: 2 }).catch((e: unknown) => e);
      expect(error).toMatchObject({ kind: 'malformed' });
      assertNoSecret([...renderings(error), ...lines]);
    });

    it('from timeouts and network errors', async () => {
      fake = await FakeCarrier.start(() => ({ hang: true }));
      const timedOut = await createCarrierClient(module, settingsFor(module, fake.url, { timeoutMs: 200 })).search({ prefix: '312', quantity: 1 }).catch((e: unknown) => e);
      expect(timedOut).toMatchObject({ kind: 'timeout' });
      const unreachable = await createCarrierClient(module, settingsFor(module, 'http://127.0.0.1:1')).search({ prefix: '312', quantity: 1 }).catch((e: unknown) => e);
      expect(unreachable).toMatchObject({ kind: 'network' });
      assertNoSecret([...renderings(timedOut), ...renderings(unreachable)]);
    });

    it('from redacted settings', () => {
      const settings = completeSettings(module, settingsFor(module, 'http://127.0.0.1:1'));
      const redacted = JSON.stringify(redactSettings(settings));
      expect(redacted).toContain('"***"');
      assertNoSecret([redacted]);
    });
  });

  it('from the Telnyx feature provider\'s faults and logs', async () => {
    fake = await FakeCarrier.start((req) => ({ status: 422, body: ERROR_BODY.knm_telnyx(req) }));
    const { logger, lines } = captureLogs();
    const provider = createFeatureProvider('knm_telnyx', settingsFor('knm_telnyx', fake.url, { debug: true }), { logger })!;
    const error = await provider.applyCnam('+13125550101', { inbound: true }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 422 });
    assertNoSecret([...renderings(error), ...lines]);
  });

  it('the fake upstream really did receive the secret (the checks above can fail)', async () => {
    fake = await FakeCarrier.start((req) => ({ status: 400, body: echo(req) }));
    await createCarrierClient('knm_vitelity', settingsFor('knm_vitelity', fake.url)).search({ prefix: '312', quantity: 1 }).catch(() => undefined);
    expect(echo(fake.requests[0])).toContain(SECRET);
  });
});
