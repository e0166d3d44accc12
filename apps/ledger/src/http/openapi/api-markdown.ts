import type { OpenAPIObject } from '@nestjs/swagger';

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
type Method = (typeof METHODS)[number];

/** The parts of the OpenAPI document this page reads (all may be absent: it is JSON, references unresolved). */
interface Schema {
  $ref?: string; allOf?: Schema[]; enum?: unknown[]; type?: string; items?: Schema; nullable?: boolean;
  description?: string; properties?: Record<string, Schema>; required?: string[];
}
interface Parameter { name?: string; in?: string; required?: boolean; description?: string; schema?: Schema }
interface Content { schema?: Schema }
interface Operation {
  tags?: string[]; summary?: string; description?: string; security?: unknown[]; parameters?: Parameter[];
  requestBody?: { content?: Record<string, Content> };
  responses?: Record<string, { description?: string; content?: Record<string, Content> }>;
}

/**
 * docs/api.md from the served OpenAPI document. test/e2e/openapi-contract.e2e.spec.ts checks
 * that every operation is in docs/api.md and rewrites the file when UPDATE_DOCS=1.
 */
export function apiMarkdown(doc: OpenAPIObject): string {
  const lines: string[] = [
    '# HTTP API reference',
    '',
    'Generated from the OpenAPI document the service serves at `/openapi.json` (browsable at `/docs`):',
    '`UPDATE_DOCS=1 npm test -- test/e2e/openapi-contract.e2e.spec.ts` rewrites this file. The behaviour',
    'behind the routes is in [behaviour.md](behaviour.md).',
    '',
    doc.info.description ?? '',
    '',
  ];
  const tags = (doc.tags ?? []).map((t) => t.name);
  for (const tag of tags) {
    const ops = operations(doc).filter((o) => (o.op.tags?.[0] ?? '') === tag);
    if (ops.length === 0) continue;
    const described = doc.tags?.find((t) => t.name === tag)?.description;
    lines.push(`## ${tag}`, '', ...(described ? [described, ''] : []));
    for (const { method, path, op } of ops) lines.push(...operationSection(method, path, op));
  }
  lines.push('## Schemas', '');
  const schemas = (doc.components?.schemas ?? {}) as unknown as Record<string, Schema>;
  for (const [name, schema] of Object.entries(schemas)) lines.push(...schemaSection(name, schema));
  return `${lines.join('\n').replace(/\n{3,}/g, '\n\n').trim()}\n`;
}

function operations(doc: OpenAPIObject) {
  const paths = doc.paths as unknown as Record<string, Partial<Record<Method, Operation>>>;
  return Object.entries(paths).flatMap(([path, item]) =>
    METHODS.flatMap((method) => {
      const op = item[method];
      return op ? [{ method, path, op }] : [];
    }));
}

/** The heading the test looks for: "### `GET /v1/numbers`". */
export function operationHeading(method: string, path: string): string {
  return `### \`${method.toUpperCase()} ${path}\``;
}

function operationSection(method: string, path: string, op: Operation): string[] {
  const out = [operationHeading(method, path), '', `**${op.summary ?? ''}**${op.security?.length === 0 ? ' (no key)' : ''}`, ''];
  if (op.description) out.push(op.description, '');
  const params = (op.parameters ?? []).filter((p) => p.name);
  if (params.length) {
    out.push('| parameter | in | required | description |', '|---|---|---|---|');
    for (const p of params) out.push(`| \`${p.name}\` | ${p.in} | ${p.required ? 'yes' : 'no'} | ${cell(p.description ?? schemaName(p.schema))} |`);
    out.push('');
  }
  if (op.requestBody?.content) {
    const bodies = Object.entries(op.requestBody.content).map(([type, c]) => `\`${type}\` ${schemaName(c.schema)}`);
    out.push(`Body: ${bodies.join(', ')}`, '');
  }
  out.push('| status | answer |', '|---|---|');
  for (const [status, r] of Object.entries(op.responses ?? {})) {
    const content = Object.entries(r.content ?? {}).map(([type, c]) => `\`${type}\` ${schemaName(c.schema)}`).join(', ');
    out.push(`| ${status} | ${cell(r.description ?? '')}${content ? ` ${content}` : ''} |`);
  }
  out.push('');
  return out;
}

function schemaSection(name: string, schema: Schema): string[] {
  const out = [`### ${name}`, ''];
  if (schema.description) out.push(schema.description, '');
  const props = Object.entries(schema.properties ?? {});
  if (props.length === 0) return out;
  out.push('| field | type | description |', '|---|---|---|');
  const required = new Set<string>(schema.required ?? []);
  for (const [field, p] of props) {
    out.push(`| \`${field}\`${required.has(field) ? '' : ' (optional)'} | ${cell(schemaName(p))} | ${cell(p.description ?? '')} |`);
  }
  out.push('');
  return out;
}

function schemaName(schema: Schema | undefined): string {
  if (!schema) return '';
  if (schema.$ref) {
    const name = schema.$ref.split('/').pop() ?? '';
    return `[${name}](#${name.toLowerCase()})`;
  }
  if (schema.allOf) return schema.allOf.filter((s) => s.$ref).map(schemaName).join(' & ');
  if (schema.enum) return schema.enum.map((v: unknown) => `\`${String(v)}\``).join(' / ');
  if (schema.type === 'array') return `${schemaName(schema.items)}[]`;
  return `${schema.type ?? 'object'}${schema.nullable ? ', null' : ''}`;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n+/g, ' ');
}
