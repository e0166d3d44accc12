import { INPUT_LIMITS } from './input-limits';
import { invalid, textFault } from './text-checks';

export interface JsonBounds {
  maxDepth?: number;
  maxStringLength?: number;
}

/**
 * Why a decoded JSON value (a request body, query, a feature's settings) cannot be
 * recorded, or null: too deep, a non-finite number, or a string or key that is
 * not text (NUL, lone surrogates, control characters) or too long. Iterative, so
 * that a value nested 10,000 deep is refused rather than overflowing the stack.
 */
export function jsonFault(root: unknown, bounds: JsonBounds = {}): { path: string; reason: string } | null {
  const maxDepth = bounds.maxDepth ?? INPUT_LIMITS.jsonDepth;
  const maxString = bounds.maxStringLength ?? INPUT_LIMITS.textLength;
  const stack: Array<{ value: unknown; path: string; depth: number }> = [{ value: root, path: '', depth: 0 }];
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop()!;
    if (typeof value === 'string') {
      const fault = textFault(value, maxString);
      if (fault) return { path, reason: fault };
    } else if (typeof value === 'number') {
      if (!Number.isFinite(value)) return { path, reason: 'must be a finite number' };
    } else if (value !== null && typeof value === 'object') {
      if (depth >= maxDepth) return { path, reason: `nests deeper than ${maxDepth} levels` };
      const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
      for (const [key, child] of entries) {
        const keyFault = textFault(key, INPUT_LIMITS.idLength);
        if (keyFault) return { path: join(path, '(key)'), reason: keyFault };
        stack.push({ value: child, path: join(path, key), depth: depth + 1 });
      }
    }
  }
  return null;
}

export function checkJson(value: unknown, field: string, bounds?: JsonBounds): void {
  const fault = jsonFault(value, bounds);
  const path = join(field, fault?.path ?? '');
  if (fault) throw invalid((path.length > 120 ? `${path.slice(0, 120)}...` : path) || 'body', fault.reason);
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}
