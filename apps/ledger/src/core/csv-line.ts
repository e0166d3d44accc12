const NEEDS_QUOTES = /[",\r\n]/;
/** What a spreadsheet may run as a formula when a cell starts with it (OWASP "CSV injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;
/** Cells that start so but are data an operator needs as it is: an E.164 number, a plain number. */
const HARMLESS = /^(\+[1-9]\d{1,14}|[+-]?\d+(\.\d+)?([eE][+-]?\d+)?)$/;

/**
 * A cell a spreadsheet would run as a formula gets a leading `'` (shown as text, not run);
 * E.164 numbers and plain numbers stay as they are so they can be imported again.
 */
export function neutralisedCell(text: string): string {
  return FORMULA_START.test(text) && !HARMLESS.test(text) ? `'${text}` : text;
}

/** One CSV cell, neutralised, quoted only when it has to be (RFC 4180). */
export function csvCell(value: unknown): string {
  const raw = value == null ? '' : typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : (value as number | boolean | bigint).toString();
  const text = neutralisedCell(raw);
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(cells: unknown[]): string {
  return cells.map(csvCell).join(',') + '\n';
}
