import { INPUT_LIMITS, textFault } from '@ledger/domain/validation';
import { LedgerError } from '@ledger/domain/errors';

export const encodeCursor = (number: string): string => Buffer.from(number).toString('base64url');
/** A cursor that does not decode to text (bad base64, NUL, invalid UTF-8) is `validation_failed`, not a database error. */
export function decodeCursor(cursor: string): string {
  const decoded = /^[A-Za-z0-9_-]*$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString() : '\u0000';
  if (decoded.includes('\ufffd') || textFault(decoded, INPUT_LIMITS.textLength)) {
    throw new LedgerError('validation_failed', 'cursor is not a cursor this service issued', { field: 'cursor' });
  }
  return decoded;
}
