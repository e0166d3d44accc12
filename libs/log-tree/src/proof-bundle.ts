import { createPublicKey } from 'node:crypto';
import { parseCheckpointText } from './checkpoint';
import { HASH_SIZE, leafHash } from './hashing';
import { entryBytes, LogEntry } from './log-entry';
import { ed25519KeyId, NoteVerifier, openNote, parseVerifierKey, rawEd25519PublicKey } from './signed-note';
import { decodeBase64Strict } from './strict-base64';
import { verifyInclusion } from './verify';
import { canonicalJson } from './canonical-json';

export const BUNDLE_FORMAT = 'numbers-ledger/proof-bundle/v1';

/**
 * Events with their inclusion proofs in the tree of one signed checkpoint: everything an
 * auditor needs, besides the log's public key, to check offline that the log holds them.
 * Written as RFC 8785 canonical JSON plus a newline, and only accepted in that exact form,
 * so that no byte of a bundle can change without the verification failing.
 */
export interface ProofBundle {
  format: typeof BUNDLE_FORMAT;
  checkpoint: string;
  entries: Array<{ leafIndex: number; entry: LogEntry; inclusionProof: string[] }>;
}

export function serializeBundle(bundle: ProofBundle): string {
  return `${canonicalJson(bundle)}\n`;
}

export type BundleVerdict =
  | { ok: true; origin: string; treeSize: number; entries: number }
  | { ok: false; reason: string };

/** A verifier from a C2SP verifier key, or from a PEM public key named by the note's signer. */
export function verifierFrom(key: string, nameInNote: string | null): NoteVerifier {
  const text = key.trim();
  if (!text.startsWith('-----BEGIN')) return parseVerifierKey(text);
  const publicKey = createPublicKey(text);
  if (!nameInNote) throw new Error('a PEM key needs a signed note to name it');
  return { name: nameInNote, keyId: ed25519KeyId(nameInNote, rawEd25519PublicKey(publicKey)), publicKey };
}

/** The key name of the first signature line of a note. */
export function noteSignerName(note: string): string | null {
  return /\n\n\u2014 (\S+) /.exec(note)?.[1] ?? null;
}

export function verifyBundle(text: string, key: string): BundleVerdict {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  if (!isBundleShape(parsed)) return { ok: false, reason: `not a ${BUNDLE_FORMAT} bundle` };
  if (serializeBundle(parsed) !== text) return { ok: false, reason: 'not in canonical form (RFC 8785 JSON and one newline)' };
  let verifier: NoteVerifier;
  try {
    verifier = verifierFrom(key, noteSignerName(parsed.checkpoint));
  } catch (err) {
    return { ok: false, reason: `unusable key: ${(err as Error).message}` };
  }
  const opened = openNote(parsed.checkpoint, verifier);
  if (!opened) return { ok: false, reason: 'the checkpoint is not signed by this key' };
  const checkpoint = parseCheckpointText(opened.text);
  if (!checkpoint) return { ok: false, reason: 'the checkpoint is malformed' };
  for (const { leafIndex, entry, inclusionProof } of parsed.entries) {
    const proof = inclusionProof.map((p) => decodeBase64Strict(p, HASH_SIZE));
    if (proof.some((p) => p === null)) return { ok: false, reason: `leaf ${leafIndex}: a proof hash is not base64 of 32 bytes` };
    const leaf = leafHash(entryBytes(entry));
    if (!verifyInclusion(leafIndex, checkpoint.size, leaf, proof as Buffer[], checkpoint.rootHash)) {
      return { ok: false, reason: `leaf ${leafIndex} (${entry.position}) is not in the tree of the checkpoint` };
    }
  }
  return { ok: true, origin: checkpoint.origin, treeSize: checkpoint.size, entries: parsed.entries.length };
}

function isBundleShape(v: unknown): v is ProofBundle {
  if (!hasExactly(v, ['checkpoint', 'entries', 'format'])) return false;
  if (v.format !== BUNDLE_FORMAT || typeof v.checkpoint !== 'string' || !Array.isArray(v.entries) || v.entries.length === 0) return false;
  return v.entries.every((e: unknown) =>
    hasExactly(e, ['entry', 'inclusionProof', 'leafIndex'])
    && Number.isSafeInteger(e.leafIndex) && (e.leafIndex as number) >= 0
    && Array.isArray(e.inclusionProof) && e.inclusionProof.every((p: unknown) => typeof p === 'string')
    && isEntryShape(e.entry));
}

function isEntryShape(v: unknown): v is LogEntry {
  if (!hasExactly(v, ['data', 'eventId', 'metadata', 'position', 'recordedAt', 'revision', 'stream', 'type'])) return false;
  return ['eventId', 'position', 'recordedAt', 'stream', 'type'].every((k) => typeof v[k] === 'string')
    && Number.isSafeInteger(v.revision);
}

function hasExactly(v: unknown, keys: string[]): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).sort().join() === keys.join();
}
