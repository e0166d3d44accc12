import { closeSync, constants, ftruncateSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { flockSync } from 'fs-ext';

/** Who holds an embedded data directory, as recorded in its lock file. */
export interface DataDirHolder {
  pid: number;
  command: string;
  startedAt: string;
  /** The holder's HTTP API, once a service listens (CLI commands that only read use it). */
  url?: string;
}

export const LOCK_FILE = 'ledger.lock';

/** A second process on one embedded store: refused before it opens (or writes) anything. */
export class DataDirLockedError extends Error {
  readonly exitCode = 2;

  constructor(readonly dataDir: string, readonly holder: DataDirHolder | null) {
    super(
      `the data directory ${dataDir} is in use by ${describeHolder(holder)}; ` +
        'only one process may open an embedded store: stop that process first, or use the running service\'s HTTP API' +
        (holder?.url ? ` at ${holder.url}` : ''),
    );
  }
}

function describeHolder(holder: DataDirHolder | null): string {
  if (!holder) return 'another process';
  return `process ${holder.pid} (${holder.command}, since ${holder.startedAt})`;
}

/**
 * One writer per embedded data directory (SPEC 12): an exclusive advisory lock (flock) on
 * `LEDGER_DATA_DIR/ledger.lock`, held by an open file descriptor for as long as the process
 * lives. The kernel drops it when the process ends however it ends (kill -9 included), so a
 * lock is never stale; the file's content only names the holder for the refusal message.
 */
export class DataDirLock {
  private constructor(private readonly fd: number, private readonly holder: DataDirHolder, readonly file: string) {}

  /** Takes the lock, or throws DataDirLockedError naming the holder. Never waits. */
  static acquire(dataDir: string, command = describeThisProcess()): DataDirLock {
    mkdirSync(dataDir, { recursive: true });
    const file = join(dataDir, LOCK_FILE);
    // No O_TRUNC: the holder's record must survive a refused open.
    const fd = openSync(file, constants.O_RDWR | constants.O_CREAT, 0o600);
    try {
      flockSync(fd, 'exnb');
    } catch (err) {
      closeSync(fd);
      if ((err as NodeJS.ErrnoException).code === 'EAGAIN' || (err as NodeJS.ErrnoException).code === 'EWOULDBLOCK') {
        throw new DataDirLockedError(dataDir, readHolder(dataDir));
      }
      throw err;
    }
    const lock = new DataDirLock(fd, { pid: process.pid, command, startedAt: new Date().toISOString() }, file);
    lock.write();
    return lock;
  }

  /** Records the URL of this process's HTTP API beside its pid. */
  announce(url: string): void {
    this.holder.url = url;
    this.write();
  }

  release(): void {
    try {
      ftruncateSync(this.fd, 0);
      flockSync(this.fd, 'un');
    } finally {
      closeSync(this.fd);
    }
  }

  private write(): void {
    const text = `${JSON.stringify(this.holder)}\n`;
    ftruncateSync(this.fd, 0);
    writeSync(this.fd, text, 0);
  }
}

/** The recorded holder of a data directory, if any process recorded one. */
export function readHolder(dataDir: string): DataDirHolder | null {
  try {
    const parsed = JSON.parse(readFileSync(join(dataDir, LOCK_FILE), 'utf8')) as DataDirHolder;
    return typeof parsed.pid === 'number' ? parsed : null;
  } catch {
    return null;
  }
}

function describeThisProcess(): string {
  return [process.argv0, ...process.argv.slice(1)].join(' ').slice(0, 500);
}
