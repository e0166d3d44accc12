/**
 * SPEC 12: a corpus of malformed requests over every route of `/openapi.json`
 * (test/support/bad-input-corpus.ts), sent to the running service on PGlite.
 * Never a 5xx; every error is application/problem+json with its status and a
 * code; a refused request appends nothing to the log.
 */
import { request as httpRequest, Agent } from 'node:http';
import { buildCorpus, CorpusRequest, OpenApi, sample } from '../support/bad-input-corpus';
import { LedgerHarness, startLedger } from '../support/ledger-harness';

const SEED = 20261201;
/** The corpus is sampled to keep the suite well under a minute on a busy machine. */
const SAMPLE = Number(process.env.LEDGER_CORPUS_SAMPLE ?? 1500);
const N = '+14155550100';

interface Answer { status: number; type: string; body: string }

function send(baseUrl: string, agent: Agent, r: CorpusRequest, headers: Record<string, string>): Promise<Answer> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((done, fail) => {
    // Node's client sends a DELETE body with neither a length nor chunks unless told the length.
    const length: Record<string, string> = r.body === undefined ? {} : { 'content-length': String(Buffer.byteLength(r.body)) };
    const req = httpRequest({ host: hostname, port, path: r.url, method: r.method, agent, headers: { ...r.headers, ...headers, ...length } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), body: Buffer.concat(chunks).toString() }));
      res.on('error', fail);
    });
    req.on('error', fail);
    req.end(r.body);
  });
}

/** A bound for starting the service and seeding it on a busy machine (a wait, not an assertion on time). */
const STARTUP_MS = 240_000;

describe('SPEC 12 - the bad-input corpus over every route of /openapi.json (PGlite)', () => {
  let h: LedgerHarness;
  let corpus: CorpusRequest[];

  beforeAll(async () => {
    h = await startLedger('pglite');
    const ok = async (method: string, path: string, body?: unknown) => {
      const r = await h.call(method, path, { body });
      if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
      return r;
    };
    await ok('POST', '/v1/accounts', { id: 'acme', name: 'Acme', reseller: true, allowNumberAdditions: true });
    await ok('POST', '/v1/numbers', { number: N, state: 'in_service', accountId: 'acme', carrierModule: 'knm_inventory' });
    const doc: OpenApi = (await ok('GET', '/openapi.json')).body;
    corpus = sample(buildCorpus(doc, {
      pathValues: { id: 'acme', number: N, module: 'knm_telnyx', type: 'user', serviceId: 's1', action: 'reserve' },
      queryValues: { state: 'in_service', limit: '10', action: 'list', asOf: '2030-01-01T00:00:00Z', from: '2020-01-01T00:00:00Z', to: '2030-01-01T00:00:00Z' },
    }).filter((r) => r.label.includes(process.env.LEDGER_CORPUS_GREP ?? '')), SAMPLE, SEED);
  }, STARTUP_MS);

  afterAll(async () => {
    await h?.close();
  });

  it('answers every request with a 4xx problem (or a success), never a 5xx, and refused requests append nothing', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const faults: string[] = [];
    const refused = new Set<string>();
    for (const [i, r] of corpus.entries()) {
      const id = `corpus-${i}`;
      let answer: Answer;
      try {
        answer = await send(h.baseUrl, agent, r, { authorization: `Bearer ${h.systemKey}`, 'x-request-id': id });
      } catch (err) {
        faults.push(`${r.label}: connection failed (${(err as Error).message})`);
        continue;
      }
      if (process.env.LEDGER_CORPUS_GREP) console.log(id, r.label, answer.status, answer.body.slice(0, 200));
      if (answer.status >= 500) faults.push(`${r.label}: ${answer.status} ${answer.body.slice(0, 200)}`);
      if (answer.status >= 400) {
        refused.add(id);
        let problem: { status?: unknown; code?: unknown } = {};
        try {
          problem = JSON.parse(answer.body);
        } catch {
          // reported below
        }
        if (!answer.type.startsWith('application/problem+json') || problem.status !== answer.status || typeof problem.code !== 'string') {
          faults.push(`${r.label}: ${answer.status} ${answer.type} is not a problem: ${answer.body.slice(0, 200)}`);
        }
      }
    }
    agent.destroy();
    const written = await h.runtime.stores.sql.query<{ id: string }>(
      `SELECT DISTINCT metadata->>'correlationId' AS id FROM ledger_events WHERE metadata->>'correlationId' LIKE 'corpus-%'`,
    );
    for (const { id } of written.rows) if (refused.has(id)) faults.push(`${corpus[Number(id.slice(7))].label}: refused but appended`);
    expect(faults).toEqual([]);
    expect(refused.size).toBeGreaterThan(corpus.length / 2);
  }, STARTUP_MS);
});
