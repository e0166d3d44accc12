import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const ROOT = join(__dirname, '..', '..');
const REGISTER = join(__dirname, 'swc-register.js');
const SERVICE_MAIN = join(ROOT, 'apps', 'ledger', 'src', 'main.ts');
const CLI_MAIN = join(ROOT, 'apps', 'ledger-cli', 'src', 'main.ts');
/** A bound on waiting for a process's marker line (a start on a busy machine), not an expected duration. */
const MARKER_LIMIT_MS = 120_000;

export interface CallResult {
  status: number;
  headers: Headers;
  body: any;
}

/** The service as operators run it, in its own process, with the sources compiled on the fly. */
export interface ServiceChild {
  url: string;
  pid: number;
  call(method: string, path: string, options?: { body?: unknown; headers?: Record<string, string> }): Promise<CallResult>;
  /** Resolves with the first JSON log line that `matches` (already printed or still to come). */
  waitForLine(matches: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
  /** The JSON log lines printed so far. */
  lines(): ReadonlyArray<Record<string, unknown>>;
  kill9(): Promise<void>;
  stop(): Promise<number | null>;
}

/** A generous bound for a test that starts processes (a busy machine), not an expected duration. */
export const CHILD_TEST_TIMEOUT_MS = 300_000;

const running = new Set<ChildProcess>();

/** Kills every process this harness started that still runs (for afterEach, when a test failed midway). */
export async function killChildren(): Promise<void> {
  await Promise.all([...running].map((child) => new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  })));
}

function track(child: ChildProcess): ChildProcess {
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

/** Starts the service and resolves once it logs that it listens; rejects with its output when it exits first. */
export async function startServiceChild(env: Record<string, string>, systemKey: string): Promise<ServiceChild> {
  const child = track(spawn(process.execPath, ['-r', REGISTER, SERVICE_MAIN], {
    env: { ...baseEnv(), PORT: '0', GRPC_PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', LEDGER_SWEEP_INTERVAL_MS: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  }));
  const lines = followLines(child);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const listening = await Promise.race([
    lines.waitFor((l) => l.msg === 'numbers-ledger listening'),
    exited.then((code) => {
      throw new Error(`the service exited (${code}) before it listened:\n${lines.text()}`);
    }),
  ]);
  const url = String(listening.url);
  return {
    url,
    pid: child.pid!,
    call: async (method, path, options = {}) => {
      const headers: Record<string, string> = { authorization: `Bearer ${systemKey}`, ...(options.headers ?? {}) };
      if (options.body !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(`${url}${path}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
      const text = await res.text();
      let body: any = text;
      try {
        body = text ? JSON.parse(text) : null;
      } catch {
        // CSV and other text bodies stay text
      }
      return { status: res.status, headers: res.headers, body };
    },
    waitForLine: (matches) => lines.waitFor(matches),
    lines: () => lines.seen,
    kill9: async () => {
      child.kill('SIGKILL');
      await exited;
    },
    stop: async () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

/** One CLI run in its own process: exit code and output. */
export function runCliChild(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = track(spawn(process.execPath, ['-r', REGISTER, CLI_MAIN, ...args], { env: { ...baseEnv(), ...env }, stdio: ['ignore', 'pipe', 'pipe'] }));
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

/** The environment without the settings this machine's shell or a test may have set for its own stores. */
function baseEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !/^(LEDGER_|DATABASE_URL$|EVENTSTORE_URL$|PORT$|GRPC_PORT$|NODE_OPTIONS$)/.test(k)) env[k] = v;
  }
  return env;
}

function followLines(child: ChildProcess) {
  const seen: Array<Record<string, unknown>> = [];
  const raw: string[] = [];
  const waiters: Array<{ matches: (l: Record<string, unknown>) => boolean; resolve: (l: Record<string, unknown>) => void }> = [];
  const onLine = (line: string) => {
    raw.push(line);
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(line);
    } catch {
      return;
    }
    seen.push(parsed);
    for (const w of [...waiters]) {
      if (w.matches(parsed)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(parsed);
      }
    }
  };
  createInterface({ input: child.stdout! }).on('line', onLine);
  createInterface({ input: child.stderr! }).on('line', (l) => raw.push(l));
  return {
    seen,
    text: () => raw.join('\n'),
    waitFor(matches: (l: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
      const already = seen.find(matches);
      if (already) return Promise.resolve(already);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no such line within ${MARKER_LIMIT_MS} ms:\n${raw.slice(-20).join('\n')}`)), MARKER_LIMIT_MS);
        timer.unref(); // a process that exited first must not keep the test run alive
        waiters.push({ matches, resolve: (l) => (clearTimeout(timer), resolve(l)) });
      });
    },
  };
}
