import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

/**
 * The system key: LEDGER_SYSTEM_KEY when set; otherwise generated on first start
 * and kept in the data directory (readable by the owner only).
 */
export function loadSystemKey(configured: string | null, dataDir: string, log: (msg: string) => void): string {
  if (configured) return configured;
  const file = join(dataDir, 'system-key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const key = `nls_${randomBytes(24).toString('base64url')}`;
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  log(`generated a system key; it is stored in ${file}`);
  return key;
}
