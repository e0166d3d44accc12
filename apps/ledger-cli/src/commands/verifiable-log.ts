import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { normalizeNumber } from '@ledger/domain';
import { numberStreamId } from '@ledger/domain/types';
import { START } from '@ledger/event-store/port';
import {
  BUNDLE_FORMAT, CompactRange, entryBytes, leafHash, logEntryOf, openNote, parseCheckpointText, parseVerifierKey,
  ProofBundle, serializeBundle, verifyBundle, verifyConsistency,
} from '@ledger/log-tree';
import { LEDGER_STREAM_PREFIXES } from '@ledger/projections/projection';
import { KeptCheckpoint } from '../../../ledger/src/log/log-tree.store';
import { VerifiableLog } from '../../../ledger/src/log/verifiable-log';
import { CliIo } from '../cli-io';
import { CliError, LedgerSession } from '../ledger-session';

/** `checkpoint`: brings the tree up to date, signs its head and prints the signed note. */
export async function checkpoint(session: LedgerSession, io: CliIo): Promise<number> {
  await session.settle(null);
  io.out((await session.get(VerifiableLog).signer.signNow()).note.trimEnd());
  return 0;
}

/** `prove NUMBER -o FILE`: every event of the number with its inclusion proof in a freshly signed checkpoint. */
export async function prove(session: LedgerSession, io: CliIo, number: string, options: { output?: string }): Promise<number> {
  await session.settle(null);
  const log = session.get(VerifiableLog);
  const stores = session.stores;
  const kept = await log.signer.signNow();
  const events = await stores.events.readStream(numberStreamId(normalizeNumber(number)));
  if (events.length === 0) throw new CliError(`${number} has no history`);
  const leaves = await log.store.leavesAt(events.map((e) => e.position));
  const entries: ProofBundle['entries'] = [];
  for (const event of events) {
    const leafIndex = leaves.get(event.position);
    if (leafIndex === undefined || leafIndex >= kept.treeSize) continue;
    const proof = await log.store.inclusionProof(leafIndex, kept.treeSize);
    entries.push({ leafIndex, entry: logEntryOf(event), inclusionProof: proof.map((h) => h.toString('base64')) });
  }
  const bundle = serializeBundle({ format: BUNDLE_FORMAT, checkpoint: kept.note, entries });
  if (options.output) writeFileSync(options.output, bundle);
  else io.out(bundle.trimEnd());
  io.err(`${entries.length} events of ${number} proven in the tree of ${kept.treeSize} (verify with: ledger verify-bundle FILE --key '${log.verifierKey}')`);
  return 0;
}

/** `verify-bundle FILE --key KEY`: offline, nothing but the bundle and the public key (verifier key or PEM, text or file). */
export function verifyBundleFile(io: CliIo, file: string, key: string): number {
  if (!existsSync(file)) throw new CliError(`no such file: ${file}`);
  const keyText = existsSync(key) ? readFileSync(key, 'utf8') : key;
  const verdict = verifyBundle(readFileSync(file, 'utf8'), keyText);
  if (!verdict.ok) {
    io.out(`bundle does not verify: ${verdict.reason}`);
    return 1;
  }
  io.out(`bundle verifies: ${verdict.entries} events in the tree of ${verdict.treeSize} signed by ${verdict.origin}`);
  return 0;
}

/**
 * `verify-log`: recomputes every leaf from the events as stored now and compares them with the
 * tree; recomputes the root at every kept checkpoint and checks its signature; checks the
 * consistency proofs between consecutive checkpoints. Exit 1 on the first sign of tampering.
 */
export async function verifyLog(session: LedgerSession, io: CliIo): Promise<number> {
  await session.settle(null);
  const log = session.get(VerifiableLog);
  const stores = session.stores;
  const head = await log.store.head();
  const checkpoints = await log.store.checkpoints({ ascending: true });
  const problems: string[] = [...checkSignatures(checkpoints, log.verifierKey)];
  const range = CompactRange.empty();
  let pending = 0;
  const checkRoots = () => {
    for (; pending < checkpoints.length && checkpoints[pending].treeSize === range.size; pending++) {
      if (!range.root().equals(checkpoints[pending].rootHash)) problems.push(`checkpoint ${checkpoints[pending].treeSize}: the events now in the log do not hash to its root`);
    }
  };
  let mismatch: { leafIndex: number; position: string } | null = null;
  let headRootMatches = head.size === 0;
  checkRoots();
  for (let after = START; ;) {
    const batch = await stores.events.readAll(after, 1000, { streamPrefixes: LEDGER_STREAM_PREFIXES });
    if (batch.length === 0) break;
    const stored = await log.store.leaves(range.size, batch.length);
    for (const [k, event] of batch.entries()) {
      const leaf = leafHash(entryBytes(logEntryOf(event)));
      const kept = stored[k];
      if (!mismatch && range.size < head.size && (!kept || kept.position !== event.position || !kept.hash.equals(leaf))) {
        mismatch = { leafIndex: range.size, position: kept?.position ?? event.position };
      }
      range.append(leaf);
      if (range.size === head.size) headRootMatches = range.root().equals(head.rootHash);
      checkRoots();
    }
    after = batch[batch.length - 1].position;
  }
  if (!mismatch && range.size < head.size) {
    const [missing] = await log.store.leaves(range.size, 1);
    mismatch = { leafIndex: range.size, position: missing?.position ?? '?' };
  }
  if (mismatch) problems.unshift(`leaf ${mismatch.leafIndex} at position ${mismatch.position}: the event stored there no longer matches the tree (changed, removed or moved)`);
  else if (!headRootMatches) problems.push(`the stored tree of ${head.size} does not hash to its recorded root`);
  for (const c of checkpoints.slice(pending)) problems.push(`checkpoint ${c.treeSize}: the log has only ${range.size} events`);
  problems.push(...await checkConsistency(session, checkpoints, head.size));
  for (const p of problems) io.out(p);
  io.out(problems.length === 0
    ? `log verifies: ${range.size} events, tree of ${head.size}, ${checkpoints.length} checkpoints consistent`
    : `log does not verify (${problems.length} problems)`);
  return problems.length === 0 ? 0 : 1;
}

function checkSignatures(checkpoints: KeptCheckpoint[], verifierKey: string): string[] {
  const verifier = parseVerifierKey(verifierKey);
  return checkpoints.flatMap((c) => {
    const opened = openNote(c.note, verifier);
    const body = opened && parseCheckpointText(opened.text);
    if (!body) return [`checkpoint ${c.treeSize}: its signature does not verify with the log's key`];
    if (body.size !== c.treeSize || !body.rootHash.equals(c.rootHash)) return [`checkpoint ${c.treeSize}: the signed note says otherwise than its row`];
    return [];
  });
}

async function checkConsistency(session: LedgerSession, checkpoints: KeptCheckpoint[], treeSize: number): Promise<string[]> {
  const problems: string[] = [];
  const usable = checkpoints.filter((c) => c.treeSize >= 1 && c.treeSize <= treeSize);
  for (let i = 1; i < usable.length; i++) {
    const [a, b] = [usable[i - 1], usable[i]];
    const proof = await session.get(VerifiableLog).store.consistencyProof(a.treeSize, b.treeSize);
    if (!verifyConsistency(a.treeSize, b.treeSize, a.rootHash, b.rootHash, proof)) problems.push(`checkpoints ${a.treeSize} and ${b.treeSize} are not consistent`);
  }
  return problems;
}
