import { LedgerError } from './errors';

/** A classifier: a name and a regex source matched against the E.164 number (SPEC 8). */
export interface Classifier {
  name: string;
  pattern: string;
}

/** SPEC 8 classifiers, in order; first match wins; `unknown` otherwise. */
export const DEFAULT_CLASSIFIERS: readonly Classifier[] = [
  { name: 'tollfree_us', pattern: '^\\+1((?:800|88\\d|877|866|855|844|833|822)\\d{7})$' },
  { name: 'toll_us', pattern: '^\\+1(900\\d{7})$' },
  { name: 'emergency', pattern: '^(911|922|933|988|833|811|711|999)$' },
  {
    name: 'caribbean',
    pattern: '^\\+?1((?:684|264|268|242|246|441|284|345|767|809|829|849|473|671|876|664|670|787|939|869|758|784|721|868|649|340)\\d{7})$',
  },
  { name: 'did_us', pattern: '^(\\+?1)?([2-9][0-9]{2}[2-9][0-9]{6})$' },
  { name: 'international', pattern: '^\\+([2-9]\\d{7,})$' },
];

export const UNKNOWN_CLASSIFICATION = 'unknown';

const compiled = new Map<string, RegExp>();
function regex(pattern: string): RegExp {
  let re = compiled.get(pattern);
  if (!re) {
    re = new RegExp(pattern);
    compiled.set(pattern, re);
  }
  return re;
}

/** Throws `validation_failed` when a classifier is malformed or its pattern is not a valid regular expression. */
export function validateClassifiers(classifiers: readonly Classifier[]): void {
  for (const c of classifiers) {
    if (!c || typeof c.name !== 'string' || c.name === '' || typeof c.pattern !== 'string') {
      throw new LedgerError('validation_failed', `invalid classifier: ${JSON.stringify(c)}`);
    }
    try {
      regex(c.pattern);
    } catch (e) {
      throw new LedgerError('validation_failed', `invalid classifier pattern for ${c.name}: ${(e as Error).message}`);
    }
  }
}

/** The first classifier whose pattern matches `e164`, else `unknown`. */
export function classify(e164: string, classifiers: readonly Classifier[] = DEFAULT_CLASSIFIERS): string {
  for (const c of classifiers) {
    if (regex(c.pattern).test(e164)) return c.name;
  }
  return UNKNOWN_CLASSIFICATION;
}
