import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataDirLock, DataDirLockedError, LOCK_FILE } from './data-dir-lock';

describe('DataDirLock', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'ledger-lock-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('lets one holder in, refuses the next naming the holder, and lets the next in once released', () => {
    const held = DataDirLock.acquire(dir, 'ledger service');
    held.announce('http://127.0.0.1:3000');
    let refusal: unknown;
    try {
      DataDirLock.acquire(dir, 'ledger list');
    } catch (err) {
      refusal = err;
    }
    expect(refusal).toBeInstanceOf(DataDirLockedError);
    const locked = refusal as DataDirLockedError;
    expect(locked.exitCode).toBe(2);
    expect(locked.holder).toMatchObject({ pid: process.pid, command: 'ledger service', url: 'http://127.0.0.1:3000' });
    expect(locked.message).toContain(`in use by process ${process.pid} (ledger service, since `);
    expect(locked.message).toContain('stop that process first, or use the running service\'s HTTP API at http://127.0.0.1:3000');
    // The refused attempt left the holder's record as it was.
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8'))).toMatchObject({ command: 'ledger service' });

    held.release();
    const next = DataDirLock.acquire(dir, 'ledger list');
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8'))).toMatchObject({ pid: process.pid, command: 'ledger list' });
    next.release();
  });

  it('creates the data directory when it does not exist yet', () => {
    const lock = DataDirLock.acquire(join(dir, 'new', 'data'), 'ledger service');
    lock.release();
  });
});
