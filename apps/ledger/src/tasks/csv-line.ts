const NEEDS_QUOTES = /[",\r\n]/;

/** One CSV cell, quoted only when it has to be (RFC 4180). */
export function csvCell(value: unknown): string {
  const text = value == null ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(cells: unknown[]): string {
  return cells.map(csvCell).join(',') + '\n';
}
