import { HASH_SIZE, Hash } from './hashing';
import { decodeBase64Strict } from './strict-base64';

/** A C2SP tlog-checkpoint body: origin, tree size, root hash (each on its own line). */
export interface Checkpoint {
  origin: string;
  size: number;
  rootHash: Hash;
}

export function checkpointText({ origin, size, rootHash }: Checkpoint): string {
  if (!origin || /[\n]/.test(origin)) throw new Error('the origin is one non-empty line');
  return `${origin}\n${size}\n${rootHash.toString('base64')}\n`;
}

/** Parses a checkpoint body; extension lines after the root are allowed and ignored. Null when malformed. */
export function parseCheckpointText(text: string): Checkpoint | null {
  const lines = text.split('\n');
  if (lines.length < 4 || lines[lines.length - 1] !== '') return null;
  const [origin, sizeLine, rootLine] = lines;
  if (!origin || !/^(0|[1-9][0-9]{0,15})$/.test(sizeLine)) return null;
  const size = Number(sizeLine);
  const rootHash = decodeBase64Strict(rootLine, HASH_SIZE);
  if (!rootHash || !Number.isSafeInteger(size)) return null;
  return { origin, size, rootHash };
}
