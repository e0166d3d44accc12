import { createHash, createPublicKey, KeyObject, sign, verify } from 'node:crypto';
import { decodeBase64Strict } from './strict-base64';

/**
 * C2SP signed notes with Ed25519 keys: a UTF-8 text ending in a newline, a blank line, then
 * one line per signature, `— <key name> <base64(4-byte key id || 64-byte signature)>`.
 * The key id is the first 4 bytes of SHA-256(key name || 0x0A || 0x01 || 32-byte public key).
 */
const ED25519 = 0x01;
const DASH = '\u2014';

export interface NoteVerifier {
  name: string;
  keyId: Buffer;
  publicKey: KeyObject;
}

export function rawEd25519PublicKey(key: KeyObject): Buffer {
  const jwk = key.export({ format: 'jwk' });
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') throw new Error('not an Ed25519 key');
  return Buffer.from(jwk.x, 'base64url');
}

export function ed25519KeyId(name: string, rawPublicKey: Buffer): Buffer {
  return createHash('sha256').update(name, 'utf8').update(Buffer.of(0x0a, ED25519)).update(rawPublicKey).digest().subarray(0, 4);
}

function checkKeyName(name: string): void {
  if (!name || /[\s+]/.test(name)) throw new Error(`a note key name must be non-empty without spaces or "+": "${name}"`);
}

/** The verifier key as C2SP spells it: `<name>+<8 hex digits of key id>+<base64(0x01 || public key)>`. */
export function verifierKey(name: string, publicKey: KeyObject): string {
  checkKeyName(name);
  const raw = rawEd25519PublicKey(publicKey);
  return `${name}+${ed25519KeyId(name, raw).toString('hex')}+${Buffer.concat([Buffer.of(ED25519), raw]).toString('base64')}`;
}

/** Parses a C2SP verifier key; throws on anything else. */
export function parseVerifierKey(vkey: string): NoteVerifier {
  const parts = /^([^+\s]+)\+([0-9a-f]{8})\+(\S+)$/.exec(vkey.trim());
  if (!parts) throw new Error('a verifier key is <name>+<8 hex digits key id>+<base64 key>');
  const [, name, hexId, b64] = parts;
  checkKeyName(name);
  const key = decodeBase64Strict(b64, 33);
  if (!key || key[0] !== ED25519) throw new Error('the verifier key is not an Ed25519 key (0x01 || 32 bytes)');
  const raw = key.subarray(1);
  const keyId = ed25519KeyId(name, raw);
  if (keyId.toString('hex') !== hexId) throw new Error('the verifier key id does not match its name and key');
  const publicKey = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' });
  return { name, keyId, publicKey };
}

/** Appends an Ed25519 signature line under `name` to `text` (which must end in a newline). */
export function signNote(text: string, name: string, privateKey: KeyObject, publicKey: KeyObject): string {
  checkKeyName(name);
  checkText(text);
  const signature = sign(null, Buffer.from(text, 'utf8'), privateKey);
  const keyId = ed25519KeyId(name, rawEd25519PublicKey(publicKey));
  return `${text}\n${DASH} ${name} ${Buffer.concat([keyId, signature]).toString('base64')}\n`;
}

export interface OpenedNote {
  text: string;
  verifiedBy: string;
}

/**
 * The note's text when one of its signature lines is a valid signature by `verifier`;
 * null otherwise (malformed, unknown signers only, bad signature).
 */
export function openNote(note: string, verifier: NoteVerifier): OpenedNote | null {
  const split = note.lastIndexOf('\n\n');
  if (split < 0 || !note.endsWith('\n')) return null;
  const text = note.slice(0, split + 1);
  try {
    checkText(text);
  } catch {
    return null;
  }
  const lines = note.slice(split + 2, -1).split('\n');
  let valid = false;
  for (const line of lines) {
    const m = /^\u2014 (\S+) (\S+)$/.exec(line);
    if (!m) return null;
    const blob = decodeBase64Strict(m[2]);
    if (!blob || blob.length < 5) return null;
    if (m[1] !== verifier.name || !blob.subarray(0, 4).equals(verifier.keyId)) continue;
    if (blob.length !== 68) return null;
    valid = verify(null, Buffer.from(text, 'utf8'), verifier.publicKey, blob.subarray(4)) || valid;
  }
  return valid ? { text, verifiedBy: verifier.name } : null;
}

function checkText(text: string): void {
  if (!text.endsWith('\n')) throw new Error('a note text ends in a newline');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0009\u000b-\u001f\u007f]/.test(text)) throw new Error('a note text has no control characters but newlines');
}
