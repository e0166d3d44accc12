#!/usr/bin/env node
import 'reflect-metadata';
import { spawnSync } from 'node:child_process';
import { hasSemiSpaceFlag, REPLAY_NODE_FLAGS } from '@ledger/projections/replay-heap';
import { runCli } from './cli';

const args = process.argv.slice(2);
/** Commands that replay the whole log: they run again with the replay's young generation (replay-heap.ts). */
const REPLAYING = ['rebuild-projections', 'verify'];

if (REPLAYING.includes(args[0]) && !hasSemiSpaceFlag(process.execArgv, process.env.NODE_OPTIONS)) {
  const child = spawnSync(process.execPath, [...REPLAY_NODE_FLAGS, ...process.execArgv, process.argv[1], ...args], { stdio: 'inherit' });
  process.exit(child.status ?? 1);
}

runCli(args).then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
