import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** 32 bytes from LEDGER_SECRETS_KEY: base64 of exactly 32 bytes as given, any other text through SHA-256. */
export function operatorKeyFrom(text: string): Buffer {
  const raw = Buffer.from(text, 'base64');
  return raw.length === 32 && raw.toString('base64').replace(/=+$/, '') === text.replace(/=+$/, '') ? raw : createHash('sha256').update(text).digest();
}

/** LEDGER_SECRETS_KEY when set; otherwise generated on first start into the data directory, like the system key. */
export function loadOperatorKey(configured: string | null, dataDir: string, log: (msg: string) => void): Buffer {
  if (configured) return operatorKeyFrom(configured);
  const file = join(dataDir, 'secrets-key');
  if (existsSync(file)) return operatorKeyFrom(readFileSync(file, 'utf8').trim());
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32).toString('base64');
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  log(`generated the key that seals carrier credentials; it is stored in ${file}`);
  return operatorKeyFrom(key);
}
