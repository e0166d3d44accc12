import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Ajv from 'ajv';
import * as ts from 'typescript';
import { apiMarkdown, operationHeading } from '../../apps/ledger/src/http/openapi/api-markdown';
import { OPERATIONS } from '../../apps/ledger/src/http/openapi/operations';
import { README_FLOW_PROGRAM } from './openapi-client/readme-flow-program';
import { LedgerHarness, startLedger } from '../support/ledger-harness';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');
const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

/**
 * The served /openapi.json is the contract clients generate code from: every
 * operation describes its answers and its problems, the document lints clean
 * with Redocly's recommended rules, and a client generated from it with
 * openapi-typescript + openapi-fetch type-checks and runs the README's flow.
 */
describe('OpenAPI document as the contract', () => {
  let ledger: LedgerHarness;
  let doc: any;
  let dir: string;

  beforeAll(async () => {
    ledger = await startLedger('pglite');
    const res = await ledger.call('GET', '/openapi.json', { key: null });
    expect(res.status).toBe(200);
    doc = res.body;
    dir = mkdtempSync(join(tmpdir(), 'ledger-openapi-'));
    writeFileSync(join(dir, 'openapi.json'), JSON.stringify(doc));
  }, 180_000);

  afterAll(async () => {
    await ledger?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  function operations(): Array<{ key: string; op: any }> {
    return Object.entries<any>(doc.paths).flatMap(([path, item]) =>
      METHODS.filter((m) => item[m]).map((m) => ({ key: `${m.toUpperCase()} ${path}`, op: item[m] })));
  }

  it('describes every operation: a summary, its 2xx answer with a body schema, and problem+json errors', () => {
    const faults: string[] = [];
    for (const { key, op } of operations()) {
      if (!OPERATIONS[key]) faults.push(`${key}: no entry in apps/ledger/src/http/openapi/operations.ts`);
      if (!op.summary) faults.push(`${key}: no summary`);
      const ok = Object.entries<any>(op.responses ?? {}).filter(([status]) => /^2\d\d$/.test(status));
      if (ok.length === 0) faults.push(`${key}: no 2xx response`);
      for (const [status, response] of ok) {
        if (status === '204') continue;
        const schemas = Object.values<any>(response.content ?? {}).map((c) => c.schema).filter(Boolean);
        if (schemas.length === 0) faults.push(`${key}: ${status} has no schema`);
      }
      const problems = Object.entries<any>(op.responses ?? {}).filter(([status]) => /^[45]\d\d$|^default$/.test(status));
      if (!problems.some(([s]) => s.startsWith('4')) && !OPERATIONS[key]?.public) faults.push(`${key}: no 4xx response`);
      if (!op.responses?.default?.content?.['application/problem+json']) faults.push(`${key}: no problem+json default`);
      for (const [status, response] of problems) {
        if (!response.content?.['application/problem+json']?.schema) faults.push(`${key}: ${status} is not problem+json`);
      }
    }
    expect(faults).toEqual([]);
    // And no entry of the table describes a route that does not exist (a renamed route).
    const served = new Set(operations().map((o) => o.key));
    expect(Object.keys(OPERATIONS).filter((k) => !served.has(k))).toEqual([]);
  });

  it('states the SPEC codes, the CSV bodies, the 202s and an opaque bearer scheme', () => {
    const release = doc.paths['/v1/numbers/{number}/release'].post.responses;
    expect(release['409'].content['application/problem+json'].schema.allOf[1].properties.code.enum).toEqual(
      expect.arrayContaining(['invalid_state_transition', 'number_is_porting', 'concurrency_conflict']),
    );
    expect(release['401']).toBeDefined();
    const tasks = doc.paths['/v1/tasks'].post;
    expect(tasks.requestBody.content['text/csv']).toBeDefined();
    expect(tasks.responses['202'].content['application/json'].schema.$ref).toBe('#/components/schemas/TaskSubmitted');
    expect(doc.paths['/v1/tasks/{id}/output'].get.responses['200'].content['text/csv']).toBeDefined();
    expect(Object.keys(doc.paths['/v1/audits'].post.responses)).toEqual(expect.arrayContaining(['201', '202']));
    expect(doc.components.securitySchemes.bearer).toEqual(expect.objectContaining({ type: 'http', scheme: 'bearer' }));
    expect(doc.components.securitySchemes.bearer.bearerFormat).toBeUndefined();
    expect(doc.servers?.length).toBeGreaterThan(0);
    expect(doc.paths['/health'].get.security).toEqual([]);
  });

  it('has request examples that succeed, in the README order', async () => {
    const example = (path: string, method: string) => doc.paths[path][method].requestBody.content['application/json'].example;
    const created = await ledger.call('POST', '/v1/accounts', { body: example('/v1/accounts', 'post') });
    expect(created.status).toBe(201);
    const added = await ledger.call('POST', '/v1/numbers', { body: example('/v1/numbers', 'post') });
    expect(added.status).toBe(201);
    const acquired = await ledger.call('POST', `/v1/numbers/${added.body.number}/acquire`, { body: example('/v1/numbers/{number}/acquire', 'post') });
    expect(acquired.status).toBe(200);
    expect(acquired.body.state).toBe('in_service');
  });

  it('is the reference in docs/api.md: every operation of the served document is there (UPDATE_DOCS=1 rewrites it)', () => {
    const file = join(ROOT, 'docs', 'api.md');
    if (process.env.UPDATE_DOCS === '1') writeFileSync(file, apiMarkdown(doc));
    const text = readFileSync(file, 'utf8');
    const missing = operations().map(({ key }) => key.split(' ')).map(([m, p]) => operationHeading(m, p)).filter((h) => !text.includes(h));
    expect(missing).toEqual([]);
  });

  it('lints clean with @redocly/cli (recommended rules: 0 errors)', async () => {
    const cli = join(ROOT, 'node_modules', '@redocly', 'cli', 'bin', 'cli.js');
    const env = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NODE_OPTIONS: '' };
    const result = await run(process.execPath, [cli, 'lint', join(dir, 'openapi.json'), '--extends=recommended', '--format=json'], { env, cwd: dir })
      .catch((err) => err as { stdout: string; stderr: string });
    const report = JSON.parse(result.stdout.slice(result.stdout.indexOf('{')));
    const errors = report.problems.filter((p: any) => p.severity === 'error').map((p: any) => `${p.ruleId}: ${p.message} at ${p.location?.[0]?.pointer}`);
    expect(errors).toEqual([]);
    expect(report.totals.errors).toBe(0);
  }, 180_000);

  it('generates a typed client that type-checks and runs the README flow, a CSV task and an error case', async () => {
    // openapi-typescript's Node API, in a plain Node process (some of its dependencies are ESM only, which Jest cannot load).
    const generate = [
      "import openapiTS, { astToString } from 'openapi-typescript';",
      "import { readFileSync, writeFileSync } from 'node:fs';",
      "const [input, output] = process.argv.slice(1);",
      "writeFileSync(output, astToString(await openapiTS(JSON.parse(readFileSync(input, 'utf8')))));",
    ].join('\n');
    await run(process.execPath, ['--input-type=module', '-e', generate, join(dir, 'openapi.json'), join(dir, 'ledger-api.d.ts')], {
      cwd: ROOT, env: { ...process.env, NODE_OPTIONS: '' },
    });
    writeFileSync(join(dir, 'client.ts'), README_FLOW_PROGRAM);

    expect(typeCheck(join(dir, 'client.ts'))).toEqual([]);
    const js = ts.transpileModule(README_FLOW_PROGRAM, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } });
    writeFileSync(join(dir, 'client.js'), js.outputText);
    const { stdout } = await run(process.execPath, [join(dir, 'client.js'), ledger.baseUrl, ledger.systemKey], {
      env: { ...process.env, NODE_PATH: join(ROOT, 'node_modules'), NODE_OPTIONS: '' },
    });
    const out = JSON.parse(stdout);

    expect(out.acquired).toEqual(expect.objectContaining({ number: '+14155550190', state: 'in_service', assignedTo: 'acme-typed' }));
    expect(out.position).toMatch(/\d/);
    expect(out.eventTypes.slice(-2)).toEqual(['NumberAdded.v1', 'NumberAcquired.v1']);
    expect(out.submitted.status).toBe(202);
    expect(out.submitted.location).toBe(`/v1/tasks/${out.submitted.body.id}`);
    expect(out.task).toEqual(expect.objectContaining({ status: 'success', succeeded: 2 }));
    expect(out.outputCsv.split('\n')[0]).toContain('e164');
    expect(out.outputCsv).toContain('+14155550192');
    expect(out.refused.status).toBe(409);
    expect(out.refused.contentType).toContain('application/problem+json');
    expect(out.refused.code).toBe('invalid_state_transition');

    // Every answer matches the schema the document gives for it.
    const valid = validator(doc);
    expect(valid('Account', out.account)).toEqual([]);
    expect(valid('Number', out.added)).toEqual([]);
    expect(valid('Number', out.acquired)).toEqual([]);
    expect(valid('NumberHistory', out.history)).toEqual([]);
    expect(valid('TaskSubmitted', out.submitted.body)).toEqual([]);
    expect(valid('Task', out.task)).toEqual([]);
    expect(valid(doc.paths['/v1/numbers/{number}/release'].post.responses['409'].content['application/problem+json'].schema, out.refused.body)).toEqual([]);
  }, 240_000);

  /** Strict type-check of the client program and the generated types, resolving openapi-fetch from this repository. */
  function typeCheck(file: string): string[] {
    const program = ts.createProgram([file], {
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.CommonJS,
      moduleResolution: ts.ModuleResolutionKind.Node10,
      esModuleInterop: true,
      lib: ['lib.es2022.d.ts'],
      types: ['node'],
      typeRoots: [join(ROOT, 'node_modules', '@types')],
      baseUrl: dir,
      paths: { 'openapi-fetch': [join(ROOT, 'node_modules', 'openapi-fetch')] },
    });
    return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  }
});

/** Validates a value against a component schema (by name) or an inline schema of the document. */
function validator(doc: any): (schema: string | object, value: unknown) => string[] {
  const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
  return (schema, value) => {
    const root = { ...(typeof schema === 'string' ? { $ref: `#/components/schemas/${schema}` } : schema), components: doc.components };
    const validate = ajv.compile(root);
    return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
  };
}
