import { ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * README doc-test: the README's shell examples run as written, in order, against a freshly
 * started service on a fresh data directory. The rules:
 *
 * - Every fenced block whose info string is `sh` runs with `bash -euo pipefail`; a block marked
 *   `sh no-test` is skipped (it needs PostgreSQL, EventStoreDB or docker, or installs and tests
 *   the project itself).
 * - The working directory is a fresh "checkout": links to package.json, scripts/, node_modules/
 *   and dist/ of this repository, so `npx ledger` works as it does after `npm ci`, and `./data`
 *   (the default LEDGER_DATA_DIR) starts empty. npm runs offline: nothing is fetched.
 * - The service starts as `npm start` does (dist/ built only when a source is newer, then
 *   `node dist/apps/ledger/src/main.js`), with no settings but free ports: `localhost:3000` and
 *   `localhost:50051` in a block are rewritten to them.
 * - A block that runs `npx ledger` runs with the service stopped, as the README says for the
 *   embedded store (one process per data directory); the service is started again after it.
 * - grpcurl cannot be installed here: `test/docs/grpcurl`, a stand-in for the subset the README
 *   uses that resolves every call through the server's reflection (no proto files), is first on
 *   the PATH. jq is the system's.
 * - Each block must exit 0, and print what EXPECTED says for it.
 */
const ROOT = join(__dirname, '..', '..');
const run = promisify(execFile);

const EXPECTED: Array<{ when: string; prints: string[] }> = [
  { when: 'curl -s -XPOST localhost:3000/v1/accounts', prints: ['"id":"acme"', '"state":"in_service"', 'NumberAcquired.v1'] },
  { when: 'npx ledger generate-numbers', prints: ['"status":"success"', '"total":1000', 'read models match the log', 'NumberAcquired.v1'] },
  { when: 'numbers.ledger.v1.Numbers/AddNumber', prints: ['"in_service"', 'NumberAcquired.v1', '"completed"', '"SERVING"'] },
];

interface Block {
  info: string;
  code: string;
}

function shellBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  const fence = /^```([^\n]*)\n([\s\S]*?)^```$/gm;
  for (let m = fence.exec(markdown); m; m = fence.exec(markdown)) blocks.push({ info: m[1].trim(), code: m[2] });
  return blocks.filter((b) => b.info.split(/\s+/)[0] === 'sh');
}

/**
 * A free port below the kernel's ephemeral range (Linux: 32768 and up), which `listen(0)`
 * elsewhere in the suite never hands out: the service keeps it across its restarts here.
 */
async function freePort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
}

describe('README examples', () => {
  let home: string;
  let service: ChildProcess | null = null;
  let serviceLog = '';
  let httpPort: number;
  let grpcPort: number;

  /** The user's environment: none of the service's settings, the stand-ins first on the PATH. */
  const env = (): NodeJS.ProcessEnv => {
    const e: NodeJS.ProcessEnv = {
      ...process.env,
      PATH: `${join(ROOT, 'test', 'docs')}:${process.env.PATH}`,
      NODE_OPTIONS: '',
      NPM_CONFIG_OFFLINE: 'true',
      NPM_CONFIG_UPDATE_NOTIFIER: 'false',
    };
    for (const name of ['LEDGER_DATA_DIR', 'LEDGER_SYSTEM_KEY', 'DATABASE_URL', 'EVENTSTORE_URL', 'PORT', 'GRPC_PORT']) delete e[name];
    return e;
  };

  async function startService(): Promise<void> {
    const child = spawn(process.execPath, [join(ROOT, 'dist', 'apps', 'ledger', 'src', 'main.js')], {
      cwd: home,
      env: { ...env(), PORT: String(httpPort), GRPC_PORT: String(grpcPort), HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (d) => (serviceLog += d));
    child.stderr.on('data', (d) => (serviceLog += d));
    service = child;
    // A bounded wait for the service to answer (generous: a busy machine starts it slowly), not a timing assertion.
    for (let i = 0; i < 2400; i++) {
      if (child.exitCode !== null) throw new Error(`the service exited: ${serviceLog}`);
      const ready = await fetch(`http://127.0.0.1:${httpPort}/ready`).then((r) => r.ok, () => false);
      if (ready) return;
      await new Promise((done) => setTimeout(done, 100));
    }
    throw new Error(`the service did not become ready: ${serviceLog}`);
  }

  async function stopService(): Promise<void> {
    const child = service;
    service = null;
    if (!child || child.exitCode !== null) return;
    await new Promise((done) => {
      child.once('exit', done);
      child.kill('SIGTERM');
    });
  }

  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'ledger-readme-'));
    for (const entry of ['package.json', 'scripts', 'node_modules', 'dist']) symlinkSync(join(ROOT, entry), join(home, entry));
    httpPort = await freePort();
    do grpcPort = await freePort(); while (grpcPort === httpPort);
    await run(process.execPath, [join(ROOT, 'scripts', 'build-if-stale.js')], { cwd: ROOT, env: env(), maxBuffer: 16 << 20 });
    await startService();
  }, 300_000);

  afterAll(async () => {
    await stopService();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it('runs every sh block of the README in order, as written', async () => {
    const blocks = shellBlocks(readFileSync(join(ROOT, 'README.md'), 'utf8'));
    const tested = blocks.filter((b) => !b.info.split(/\s+/).includes('no-test'));
    expect(tested.length).toBeGreaterThanOrEqual(EXPECTED.length);
    const seen = new Set<string>();
    for (const block of tested) {
      const code = block.code.replace(/localhost:3000/g, `localhost:${httpPort}`).replace(/localhost:50051/g, `localhost:${grpcPort}`);
      const cli = /(^|\s)npx ledger\s/m.test(block.code);
      if (cli) await stopService();
      const result = await run('bash', ['-euo', 'pipefail', '-c', code], { cwd: home, env: env(), maxBuffer: 16 << 20 })
        .then((r) => ({ exit: 0, ...r }), (err) => ({ exit: err.code as number, stdout: err.stdout as string, stderr: err.stderr as string }));
      if (cli) await startService();
      const context = `block:\n${block.code}\nstderr:\n${result.stderr}\nstdout:\n${result.stdout}`;
      expect({ exit: result.exit, context }).toEqual({ exit: 0, context });
      const expected = EXPECTED.find((e) => block.code.includes(e.when));
      for (const text of expected?.prints ?? []) expect({ text, found: result.stdout.includes(text), context }).toEqual({ text, found: true, context });
      if (expected) seen.add(expected.when);
    }
    // Every expectation met a block: a README change that drops an example fails here.
    expect([...seen].sort()).toEqual(EXPECTED.map((e) => e.when).sort());
  }, 300_000);
});
