import { execFileSync } from 'node:child_process';
import { hasSemiSpaceFlag, REPLAY_NODE_FLAGS } from './replay-heap';

describe('the replay\'s young generation', () => {
  it('is asked for once: a process started with a semi-space size (flag or NODE_OPTIONS) keeps its own', () => {
    expect(hasSemiSpaceFlag([])).toBe(false);
    expect(hasSemiSpaceFlag(['--enable-source-maps'], '--max-old-space-size=4096')).toBe(false);
    expect(hasSemiSpaceFlag([...REPLAY_NODE_FLAGS])).toBe(true);
    expect(hasSemiSpaceFlag([], '--inspect --max-semi-space-size=8')).toBe(true);
  });

  it('is a flag this Node takes, and a replay-like allocation grows the new space past the default', () => {
    // Short-lived objects by the million, as a replay makes them: the new space grows to its maximum.
    const script = `let keep = []; for (let i = 0; i < 2e6; i++) { keep.push({ i, s: 'x' + i }); if (keep.length > 20000) keep = []; }
      process.stdout.write(String(require('v8').getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size))`;
    const newSpaceMb = (flags: readonly string[]) =>
      Number(execFileSync(process.execPath, [...flags, '-e', script], { env: { ...process.env, NODE_OPTIONS: '' } }).toString()) / 2 ** 20;
    expect(newSpaceMb(REPLAY_NODE_FLAGS)).toBeGreaterThan(1.5 * newSpaceMb([]));
  });
});
