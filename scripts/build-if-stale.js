#!/usr/bin/env node
// `npm start` and `npx ledger` build only when a source is newer than the last build:
// compiling the whole tree costs ~15 s on a small machine, and most starts change nothing.
const { execFileSync } = require('node:child_process');
const { existsSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const stamp = join(root, 'dist', '.build-stamp');
const sources = ['apps', 'libs', 'bench', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];

function newest(path) {
  if (!existsSync(path)) return 0;
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  return readdirSync(path).reduce((max, name) => (name === 'node_modules' ? max : Math.max(max, newest(join(path, name)))), info.mtimeMs);
}

/** Builds unless dist is current; the stamp carries the build's start time, so an edit made during a build still counts. */
function buildIfStale() {
  const built = existsSync(stamp) ? statSync(stamp).mtimeMs : 0;
  if (!sources.some((s) => newest(join(root, s)) > built)) return;
  const started = new Date();
  process.stderr.write('building dist/ (sources changed since the last build)\n');
  const project = join(root, 'tsconfig.build.json');
  // A file compiled from a source since moved or deleted would still be required (and found by tsc-alias).
  rmSync(join(root, 'dist'), { recursive: true, force: true });
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', project], { stdio: 'inherit', cwd: root });
  // dist runs on plain Node: the @ledger/* path aliases become relative requires.
  execFileSync(process.execPath, [require.resolve('tsc-alias/dist/bin/index.js'), '-p', project], { stdio: 'inherit', cwd: root });
  writeFileSync(stamp, `${started.toISOString()}\n`);
  utimesSync(stamp, started, started);
}

module.exports = { buildIfStale };
if (require.main === module) buildIfStale();
