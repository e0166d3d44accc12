import type { OpenAPIObject } from '@nestjs/swagger';
import type { OperationObject, ParameterObject, ReferenceObject, ResponseObject, ResponsesObject, SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { OPERATIONS, OperationContract, PROBLEM_STATUS, ProblemCode, QueryParameter } from './operations';
import { SCHEMAS } from './schemas';

const PROBLEM_JSON = 'application/problem+json';
const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

const INFO_DESCRIPTION = [
  'An event-sourced ledger of telephone numbers for multi-tenant VoIP platforms.',
  '',
  '- **Authentication**: `Authorization: Bearer <key>` with an opaque key: the system key (`nls_...`, in',
  '  `LEDGER_DATA_DIR/system-key` unless `LEDGER_SYSTEM_KEY` is set) or an account key (`nlk_...`) from',
  '  `POST /v1/accounts/{id}/keys`.',
  '- **Consistency**: commands answer with the state they reached and the log position in `X-Ledger-Position`;',
  '  pass it as `minPosition` to a query to read your own writes.',
  '- **Idempotency**: send `Idempotency-Key` on a POST to make a retry safe.',
  '- **Errors**: `application/problem+json` (RFC 9457) with the SPEC error `code`; each operation lists the codes it can answer.',
].join('\n');

const TAGS = [
  { name: 'numbers', description: 'The number resource: add, search, reserve, acquire, release, features, history.' },
  { name: 'accounts', description: 'The account tree, API keys and a reseller\'s carrier settings.' },
  { name: 'usage', description: 'The service registry: which services use which numbers.' },
  { name: 'audit', description: 'Inventory audits against the registry.' },
  { name: 'billing', description: 'Billing quantities, now, as of an instant, and number-days.' },
  { name: 'tasks', description: 'Bulk CSV tasks.' },
  { name: 'carriers', description: 'Reconciliation of the carriers\' accounts with the ledger.' },
  { name: 'log', description: 'The verifiable history: log tree, signed checkpoints, inclusion and consistency proofs.' },
  { name: 'config', description: 'The operator\'s number-manager and carrier configuration (system key).' },
  { name: 'operations', description: 'Liveness, readiness and metrics (no key).' },
];

/** Completes the document Nest generates from the controllers with the contract of ./operations.ts. */
export function completeOpenApi(doc: OpenAPIObject): OpenAPIObject {
  doc.info = { ...doc.info, description: INFO_DESCRIPTION };
  doc.servers = [{ url: '/', description: 'The service that serves this document.' }];
  doc.tags = TAGS;
  doc.components = {
    ...doc.components,
    schemas: { ...optionalDefaults(doc.components?.schemas ?? {}), ...SCHEMAS },
    securitySchemes: {
      bearer: {
        type: 'http',
        scheme: 'bearer',
        description: 'An opaque API key (`nls_...` for the system, `nlk_...` for an account); not a JWT.',
      },
    },
    headers: {
      'X-Ledger-Position': { description: 'Log position of the command\'s events; pass it as `minPosition` to read your own writes.', schema: { type: 'string', example: '771:5' } },
      Location: { description: 'Where the created resource is.', schema: { type: 'string' } },
    },
    parameters: {
      IdempotencyKey: {
        name: 'Idempotency-Key', in: 'header', required: false,
        description: 'A repeat with the same key and body answers the first reply without a second effect (at most 200 characters).',
        schema: { type: 'string', maxLength: 200 },
      },
    },
  };
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      const contract = OPERATIONS[`${method.toUpperCase()} ${path}`];
      if (operation && contract) completeOperation(operation, method, contract);
    }
  }
  return doc;
}

/**
 * Request DTOs: a property with a `default` is optional, but generators read a default as
 * "always present" (openapi-typescript's defaultNonNullable) and would make clients send it;
 * the default goes into the description instead.
 */
function optionalDefaults(schemas: Record<string, SchemaObject | ReferenceObject>): Record<string, SchemaObject | ReferenceObject> {
  for (const schema of Object.values(schemas)) {
    for (const property of Object.values((schema as SchemaObject).properties ?? {}) as SchemaObject[]) {
      if (property.default === undefined) continue;
      const note = `Default: ${JSON.stringify(property.default)}.`;
      property.description = property.description ? `${property.description} ${note}` : note;
      delete property.default;
    }
  }
  return schemas;
}

function completeOperation(op: OperationObject, method: string, contract: OperationContract): void {
  op.summary = contract.summary;
  if (contract.description) op.description = contract.description;
  op.security = contract.public ? [] : [{ bearer: [] }];
  if (contract.csvBody) {
    op.requestBody = {
      required: false,
      description: 'The rows, header line first; `e164` is mandatory. No body for `list` and `dump`.',
      content: { 'text/csv': { schema: { type: 'string' }, example: 'e164,account_id\n+14155550111,\n+14155550112,\n' } },
    };
  }
  const json = op.requestBody && 'content' in op.requestBody ? op.requestBody.content['application/json'] : undefined;
  if (json && contract.requestExample !== undefined) json.example = contract.requestExample;
  if (contract.query) op.parameters = describeQuery((op.parameters ?? []) as ParameterObject[], contract.query);
  if (method === 'post') {
    const params = (op.parameters ?? []) as ParameterObject[];
    op.parameters = [...params, { $ref: '#/components/parameters/IdempotencyKey' }];
  }
  op.responses = { ...successResponses(contract), ...problemResponses(problemCodes(op, method, contract)) };
}

/** Query parameters read by name (`@Query('x')`): Nest states no description and takes each for required. */
function describeQuery(params: ParameterObject[], query: Record<string, QueryParameter>): ParameterObject[] {
  const others = params.filter((p) => !(p.in === 'query' && p.name in query));
  const described = Object.entries(query).map(([name, q]): ParameterObject => ({
    name, in: 'query', required: q.required ?? false, description: q.description,
    schema: { type: 'string', ...(q.pattern ? { pattern: q.pattern } : {}) },
  }));
  return [...others, ...described];
}

function successResponses(contract: OperationContract): ResponsesObject {
  const responses: ResponsesObject = {};
  for (const [status, answer] of Object.entries(contract.ok)) {
    const response: ResponseObject = { description: answer.description };
    if (answer.schema) {
      response.content = { 'application/json': { schema: { $ref: `#/components/schemas/${answer.schema}` }, ...(answer.example ? { example: answer.example } : {}) } };
    } else if (answer.text) {
      response.content = { [answer.text]: { schema: { type: 'string' }, ...(answer.example ? { example: answer.example } : {}) } };
    }
    const headers: Record<string, { $ref: string }> = {};
    if (contract.command) headers['X-Ledger-Position'] = { $ref: '#/components/headers/X-Ledger-Position' };
    if (contract.csvBody) headers.Location = { $ref: '#/components/headers/Location' };
    if (Object.keys(headers).length) response.headers = headers;
    responses[status] = response;
  }
  return responses;
}

/** The operation's own codes and the ones every route of its kind may answer. */
function problemCodes(op: OperationObject, method: string, contract: OperationContract): ProblemCode[] {
  const codes = new Set<ProblemCode>(contract.errors);
  if (!contract.public) codes.add('unauthenticated');
  if (op.requestBody) codes.add('validation_failed').add('payload_too_large');
  if ((op.parameters ?? []).some((p) => 'in' in p && p.in === 'query')) codes.add('validation_failed');
  if (method === 'post') codes.add('idempotency_key_reused');
  if (!contract.public || contract.summary === 'Readiness') codes.add('unavailable');
  return [...codes];
}

function problemResponses(codes: ProblemCode[]): ResponsesObject {
  const byStatus = new Map<number, ProblemCode[]>();
  for (const code of codes) byStatus.set(PROBLEM_STATUS[code], [...(byStatus.get(PROBLEM_STATUS[code]) ?? []), code]);
  const responses: ResponsesObject = {};
  for (const [status, list] of [...byStatus].sort(([a], [b]) => a - b)) {
    responses[String(status)] = {
      description: `Problem: ${list.map((c) => `\`${c}\``).join(', ')}.`,
      content: {
        [PROBLEM_JSON]: {
          schema: { allOf: [{ $ref: '#/components/schemas/Problem' }, { type: 'object', properties: { code: { type: 'string', enum: list } } }] },
          example: exampleProblem(list[0], status),
        },
      },
    };
  }
  responses.default = {
    description: 'Any other problem (e.g. 500 `internal`).',
    content: { [PROBLEM_JSON]: { schema: { $ref: '#/components/schemas/Problem' } } },
  };
  return responses;
}

function exampleProblem(code: ProblemCode, status: number) {
  return { type: `https://numbers-ledger.dev/problems/${code}`, title: code.replace(/_/g, ' '), status, code, detail: `why the request was refused (${code})` };
}
