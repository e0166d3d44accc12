import { spawn } from 'node:child_process';
import { serviceNodeArgs } from './service-process';

const WORKER_ENV = 'BENCH_WORKER';

/**
 * Runs `file` (a built bench module) again in a child process, as a worker: its CPU
 * and memory are its own, and BENCH_SERVICE_NODE_ARGS (e.g. --cpu-prof) apply to it.
 * The worker's last line of output is its JSON answer.
 */
export function runWorker<T>(file: string, env: Record<string, string>, nodeFlags: readonly string[] = []): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeFlags, ...serviceNodeArgs(), file], {
      env: { ...process.env, [WORKER_ENV]: '1', EVENTSTORE_URL: '', ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('exit', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      if (code === 0) resolve(JSON.parse(line) as T);
      else reject(new Error(`worker ${file} exited with ${code}: ${out}`));
    });
  });
}

/** In a bench module: when this process is its worker, runs `work` and prints its answer. */
export function asWorker(module: NodeModule, work: () => Promise<unknown>): void {
  if (require.main !== module || !process.env[WORKER_ENV]) return;
  work().then(
    (answer) => {
      process.stdout.write(`${JSON.stringify(answer)}\n`);
      process.exit(0);
    },
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
