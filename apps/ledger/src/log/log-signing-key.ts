import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject } from 'node:crypto';

export interface LogSigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/**
 * The Ed25519 key that signs checkpoints: LEDGER_LOG_SIGNING_KEY (a PKCS#8 PEM, as
 * `openssl genpkey -algorithm ed25519` writes it) when set; otherwise generated on first
 * start into the data directory (readable by the owner only), like the system key.
 */
export function loadLogSigningKey(configured: string | null, dataDir: string, log: (msg: string) => void): LogSigningKey {
  if (configured) return fromPem(configured.replace(/\\n/g, '\n'), 'LEDGER_LOG_SIGNING_KEY');
  const file = join(dataDir, 'log-signing-key.pem');
  if (existsSync(file)) return fromPem(readFileSync(file, 'utf8'), file);
  mkdirSync(dataDir, { recursive: true });
  const { privateKey } = generateKeyPairSync('ed25519');
  writeFileSync(file, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
  log(`generated a log signing key; it is stored in ${file}`);
  return fromPem(readFileSync(file, 'utf8'), file);
}

function fromPem(pem: string, source: string): LogSigningKey {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(pem);
  } catch {
    throw new Error(`${source} is not a PEM private key`);
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`${source} must be an Ed25519 key`);
  return { privateKey, publicKey: createPublicKey(privateKey) };
}
