import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, createServer } from 'node:net';

export interface ServiceProcess {
  baseUrl: string;
  systemKey: string;
  port: number;
  pid: number;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const answer = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => answer(true)).once('error', () => answer(false));
  });
}

/** BENCH_SERVICE_NODE_ARGS, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`, to profile the service under load. */
export const serviceNodeArgs = () => (process.env.BENCH_SERVICE_NODE_ARGS ?? '').split(' ').filter(Boolean);

/** The built service (dist/) in its own process, as users run it, so the load generator does not share its event loop. */
export async function startServiceProcess(env: Record<string, string>): Promise<ServiceProcess> {
  const port = await freePort();
  const grpcPort = env.GRPC_PORT ?? String(await freePort());
  const systemKey = 'bench-system-key';
  const main = join(__dirname, '..', 'apps', 'ledger', 'src', 'main.js');
  const child: ChildProcess = spawn(process.execPath, [...serviceNodeArgs(), main], {
    env: {
      ...process.env, PORT: String(port), GRPC_PORT: grpcPort, HOST: '127.0.0.1', LEDGER_SYSTEM_KEY: systemKey,
      LOG_LEVEL: 'warn', LEDGER_DATA_DIR: mkdtempSync(join(tmpdir(), 'ledger-bench-')), ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`${baseUrl}/health`)).ok) break;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  // The gRPC server starts after HTTP answers; its start (proto loading, reflection) must not fall in a measurement.
  for (let i = 0; i < 200 && !(await accepts(Number(grpcPort))); i++) await new Promise((r) => setTimeout(r, 100));
  return {
    baseUrl,
    systemKey,
    port,
    pid: child.pid!,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
