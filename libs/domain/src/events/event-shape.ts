/**
 * The smallest description of a stored payload that lets a reader trust it:
 * each field's JSON kind, `?` when it may be absent (older shapes). Ranges and
 * formats stay with the writers' checks (`validation/`): a checked event is
 * one the domain can fold, not one it would accept as input today.
 */
type Kind = 'string' | 'number' | 'boolean' | 'array' | 'object' | 'null';
export type FieldKind = Kind | `${Kind}|${Kind}` | `${Kind}?` | `${Kind}|${Kind}?`;
export type EventShape = Readonly<Record<string, FieldKind>>;

function kindOf(value: unknown): Kind | 'undefined' {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  const t = typeof value;
  return t === 'string' || t === 'number' || t === 'boolean' || t === 'object' ? t : 'undefined';
}

interface FieldCheck {
  field: string;
  kinds: string[];
  optional: boolean;
}

// Every stored event read is checked: each shape is split into its fields' kinds once.
const compiled = new WeakMap<EventShape, FieldCheck[]>();

function checksOf(shape: EventShape): FieldCheck[] {
  let checks = compiled.get(shape);
  if (!checks) {
    checks = Object.entries(shape).map(([field, spec]) => {
      const optional = spec.endsWith('?');
      return { field, kinds: (optional ? spec.slice(0, -1) : spec).split('|'), optional };
    });
    compiled.set(shape, checks);
  }
  return checks;
}

/** The first field of `data` that does not fit `shape`, as a sentence; null when it fits. */
export function shapeProblem(data: Record<string, unknown>, shape: EventShape): string | null {
  for (const { field, kinds, optional } of checksOf(shape)) {
    const actual = kindOf(data[field]);
    if (actual === 'undefined' && optional) continue;
    if (!kinds.includes(actual)) return `field ${field} must be ${kinds.join(' or ')}${optional ? ' (or absent)' : ''}, is ${actual}`;
  }
  return null;
}
