import { execFileSync } from 'node:child_process';
import { hasSemiSpaceFlag, REPLAY_NODE_FLAGS, REPLAY_SEMI_SPACE_MB } from './replay-heap';

describe('the replay\'s young generation', () => {
  it('is asked for once: a process started with a semi-space size (flag or NODE_OPTIONS) keeps its own', () => {
    expect(hasSemiSpaceFlag([])).toBe(false);
    expect(hasSemiSpaceFlag(['--enable-source-maps'], '--max-old-space-size=4096')).toBe(false);
    expect(hasSemiSpaceFlag([...REPLAY_NODE_FLAGS])).toBe(true);
    expect(hasSemiSpaceFlag([], '--inspect --max-semi-space-size=8')).toBe(true);
  });

  it('is a flag this Node takes, and it enlarges the young generation V8 reserves', () => {
    // V8's heap limit counts the young generation (three semi-spaces) beside the old one. Whether a given
    // allocation grows the new space up to that maximum is V8's heuristic, which depends on the machine's load.
    const heapLimitMb = (flags: readonly string[]) => Number(execFileSync(process.execPath, [...flags, '-e',
      "process.stdout.write(String(require('v8').getHeapStatistics().heap_size_limit))"], { env: { ...process.env, NODE_OPTIONS: '' } }).toString()) / 2 ** 20;
    expect(heapLimitMb(REPLAY_NODE_FLAGS) - heapLimitMb([])).toBeGreaterThanOrEqual(REPLAY_SEMI_SPACE_MB);
  });
});
