import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '..', '..');

describe('lint (eslint.config.mjs: type-aware recommended rules, no-explicit-any)', () => {
  it('finds nothing in the tree', () => {
    const run = spawnSync(process.execPath, [join(root, 'node_modules', 'eslint', 'bin', 'eslint.js'), '.'], {
      cwd: root, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' },
    });
    const findings = run.stdout.trim().split('\n').filter(Boolean).slice(0, 40);
    expect({ status: run.status, findings, error: run.status === 0 ? '' : run.stderr.trim() }).toEqual({ status: 0, findings: [], error: '' });
  }, 300_000);
});
