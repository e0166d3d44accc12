/**
 * A text value written into a statement, for the few statements that must carry no
 * parameters (see PgSqlClient.transaction): quotes doubled and, as in `E''` strings,
 * backslashes doubled, so that it reads back unchanged whatever standard_conforming_strings
 * says. Values only, never identifiers.
 */
export function sqlLiteral(value: string): string {
  const quoted = `'${value.replace(/'/g, "''")}'`;
  return value.includes('\\') ? `E${quoted.replace(/\\/g, '\\\\')}` : quoted;
}
