/**
 * Standard base64 (with padding) that accepts exactly one spelling per value: Node's decoder
 * ignores stray characters and the unused low bits of the last character, so a changed byte
 * could decode to the same hash or signature. A bundle must fail when any of its bytes changes.
 */
export function decodeBase64Strict(text: string, expectedBytes?: number): Buffer | null {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) return null;
  const bytes = Buffer.from(text, 'base64');
  if (bytes.toString('base64') !== text) return null;
  if (expectedBytes !== undefined && bytes.length !== expectedBytes) return null;
  return bytes;
}
