import { createHash, generateKeyPairSync, verify } from 'node:crypto';
import {
  assembleProof, BLOCK_SIZE, blocksOf, checkpointText, CompactRange, entryBytes, Hash, isStoredNode, leafHash, NodeRef, nodeHash,
  nodeKey, nodeLookup, openNote, parseCheckpointText, parseVerifierKey, planConsistency, planInclusion, planRoot, ProofPlan, signNote,
  verifierKey, verifyConsistency, verifyInclusion,
} from './index';
import { hex, ReferenceTree } from '../../../test/support/rfc6962-reference';

const SIZE = 1000;
const leaves = Array.from({ length: SIZE }, (_, i) => leafHash(Buffer.from(`entry ${i}`)));
const reference = new ReferenceTree(leaves);

function buildStore(): { nodes: Map<string, Hash>; roots: Hash[] } {
  const nodes = new Map<string, Hash>();
  const range = CompactRange.empty();
  const roots: Hash[] = [range.root()];
  for (const leaf of leaves) {
    for (const n of range.append(leaf)) nodes.set(nodeKey(n), n.hash);
    roots.push(range.root());
  }
  return { nodes, roots };
}

describe('log tree (RFC 6962 / RFC 9162)', () => {
  const { nodes, roots } = buildStore();
  const fromStore = (ref: NodeRef) => nodes.get(nodeKey(ref));

  it('hashes leaves and nodes with the RFC 6962 domain separation; the empty tree is SHA-256("")', () => {
    expect(leafHash(Buffer.from('')).toString('hex')).toBe('6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d');
    expect(roots[0].toString('hex')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('roots from the compact range and from stored nodes equal MTH for every size 1..1000', () => {
    for (let n = 1; n <= SIZE; n++) {
      const expected = reference.mth(0, n);
      expect(roots[n].equals(expected)).toBe(true);
      const [root] = assembleProof(planRoot(n), fromStore);
      expect(root.equals(expected)).toBe(true);
    }
  });

  it('inclusion proofs equal PATH and verify for every size 1..1000 (first, last, and spread leaves)', () => {
    for (let n = 1; n <= SIZE; n++) {
      const root = reference.mth(0, n);
      for (const m of new Set([0, n - 1, Math.floor(n / 2), (n * 7919) % n, (n * 31) % n])) {
        const proof = assembleProof(planInclusion(m, n), fromStore);
        expect(hex(proof)).toBe(hex(reference.path(m, 0, n)));
        expect(verifyInclusion(m, n, leaves[m], proof, root)).toBe(true);
        expect(verifyInclusion(m, n, leaves[(m + 1) % SIZE], proof, root)).toBe(false);
        if (n > 1) expect(verifyInclusion((m + 1) % n, n, leaves[m], proof, root)).toBe(false);
      }
    }
  });

  it('consistency proofs equal PROOF and verify for every size 1..1000', () => {
    for (let n = 1; n <= SIZE; n++) {
      const root = reference.mth(0, n);
      for (const m of new Set([1, n, Math.max(1, n - 1), Math.max(1, Math.floor(n / 2)), 1 + ((n * 7919) % n)])) {
        const proof = assembleProof(planConsistency(m, n), fromStore);
        expect(hex(proof)).toBe(hex(reference.proof(m, 0, n, true)));
        expect(verifyConsistency(m, n, reference.mth(0, m), root, proof)).toBe(true);
        if (m < n) {
          expect(verifyConsistency(m, n, Buffer.alloc(32), root, proof)).toBe(false);
          expect(verifyConsistency(m, n, reference.mth(0, m), Buffer.alloc(32), proof)).toBe(false);
        }
      }
    }
  });

  it('serves every proof for every size 1..1000 from the nodes of BLOCK_LEVEL and up and a few blocks of leaves', () => {
    const stored = new Map([...nodes].filter(([key]) => isStoredNode({ level: Number(key.split('/')[0]), index: 0 })));
    let mostBlocks = 0;
    const served = (plan: ProofPlan) => {
      const blocks = blocksOf(plan.nodes);
      mostBlocks = Math.max(mostBlocks, blocks.length);
      const read = new Map<number, Hash>();
      for (const b of blocks) for (let i = b * BLOCK_SIZE; i < Math.min((b + 1) * BLOCK_SIZE, SIZE); i++) read.set(i, leaves[i]);
      return hex(assembleProof(plan, nodeLookup(stored, read)));
    };
    for (let n = 1; n <= SIZE; n++) {
      expect(served(planRoot(n))).toBe(hex([reference.mth(0, n)]));
      for (const m of new Set([0, n - 1, Math.floor(n / 2), (n * 7919) % n])) expect(served(planInclusion(m, n))).toBe(hex(reference.path(m, 0, n)));
      for (const m of new Set([1, n, Math.max(1, n - 1), 1 + ((n * 31) % n)])) expect(served(planConsistency(m, n))).toBe(hex(reference.proof(m, 0, n, true)));
    }
    expect(mostBlocks).toBeLessThanOrEqual(2);
    // a leaf the read did not bring is a node the lookup cannot give, never a wrong hash
    expect(nodeLookup(stored, new Map([[0, leaves[0]]]))({ level: 1, index: 0 })).toBeUndefined();
  });

  it('hashes nodes of any length as SHA-256(0x01 || left || right)', () => {
    for (const [left, right] of [[leaves[0], leaves[1]], [Buffer.alloc(0), leaves[1]], [Buffer.from('abc'), Buffer.alloc(40, 7)]]) {
      expect(nodeHash(left, right).equals(createHash('sha256').update(Buffer.concat([Buffer.of(1), left, right])).digest())).toBe(true);
    }
  });

  it('every inclusion proof of a 37-leaf tree verifies, and only at its own index', () => {
    const n = 37;
    for (let m = 0; m < n; m++) {
      const proof = assembleProof(planInclusion(m, n), fromStore);
      for (let other = 0; other < n; other++) {
        expect(verifyInclusion(other, n, leaves[m], proof, roots[n])).toBe(other === m);
      }
    }
  });

  it('serialises an entry as RFC 8785 canonical JSON', () => {
    const bytes = entryBytes({
      stream: 'number-+14155550100', revision: 0, eventId: 'e1', type: 'NumberAdded.v1',
      data: { b: 1.5e3, a: 'é' }, metadata: { z: null, actor: 'system' }, recordedAt: '2026-01-01T00:00:00.000Z', position: '5:1',
    });
    expect(bytes.toString('utf8')).toBe(
      '{"data":{"a":"é","b":1500},"eventId":"e1","metadata":{"actor":"system","z":null},"position":"5:1","recordedAt":"2026-01-01T00:00:00.000Z","revision":0,"stream":"number-+14155550100","type":"NumberAdded.v1"}',
    );
  });

  describe('signed checkpoints (C2SP tlog-checkpoint, signed-note)', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const origin = 'ledger.example.com/log';
    const text = checkpointText({ origin, size: 1000, rootHash: roots[1000] });
    const note = signNote(text, origin, privateKey, publicKey);
    const vkey = verifierKey(origin, publicKey);

    it('writes origin, size and base64 root, a blank line and one "— name base64(keyid||sig)" line', () => {
      const lines = note.split('\n');
      expect(lines.slice(0, 4)).toEqual([origin, '1000', roots[1000].toString('base64'), '']);
      expect(lines[4]).toMatch(/^\u2014 ledger\.example\.com\/log [A-Za-z0-9+/]{91}=$/);
      expect(lines[5]).toBe('');
      expect(parseCheckpointText(openNote(note, parseVerifierKey(vkey))!.text)).toEqual({ origin, size: 1000, rootHash: roots[1000] });
    });

    it('the key id is SHA-256(name || 0x0A || 0x01 || key)[:4] and the signature verifies with plain crypto.verify', () => {
      const [, name, hexId, b64] = /^([^+]+)\+([0-9a-f]{8})\+(.+)$/.exec(vkey)!;
      const raw = Buffer.from(b64, 'base64');
      expect(raw[0]).toBe(1);
      const id = createHash('sha256').update(Buffer.concat([Buffer.from(name), Buffer.of(0x0a), raw])).digest().subarray(0, 4);
      expect(id.toString('hex')).toBe(hexId);
      const blob = Buffer.from(note.split('\n')[4].split(' ')[2], 'base64');
      expect(blob.subarray(0, 4).equals(id)).toBe(true);
      expect(verify(null, Buffer.from(text), publicKey, blob.subarray(4))).toBe(true);
    });

    it('refuses a note whose text, signature or signer changed', () => {
      const verifier = parseVerifierKey(vkey);
      expect(openNote(note.replace('\n1000\n', '\n1001\n'), verifier)).toBeNull();
      for (let i = 0; i < note.length; i++) {
        const changed = note.slice(0, i) + String.fromCharCode(note.charCodeAt(i) ^ 1) + note.slice(i + 1);
        expect(openNote(changed, verifier)).toBeNull();
      }
      const other = generateKeyPairSync('ed25519');
      expect(openNote(note, parseVerifierKey(verifierKey(origin, other.publicKey)))).toBeNull();
      expect(() => parseVerifierKey(vkey.replace(/\+[0-9a-f]{8}\+/, '+00000000+'))).toThrow();
    });
  });
});
