import { runCli } from '../../apps/ledger-cli/src/cli';
import { CliIo, Progress } from '../../apps/ledger-cli/src/cli-io';
import { createHome, LedgerHome, startService } from './tasks-harness';

interface Stage {
  label: string;
  total: number;
  updates: Array<{ done: number; total: number }>;
}

/** Records what each progress bar showed, as a terminal would have drawn it. */
function recordingIo(stages: Stage[], out: string[]): CliIo {
  return {
    out: (line) => out.push(line),
    err: () => undefined,
    progress(): Progress {
      let stage: Stage | null = null;
      return {
        start(total, label) {
          stage = { label, total, updates: [] };
          stages.push(stage);
        },
        update(done, total) {
          if (!stage) return;
          if (total !== undefined) stage.total = total;
          stage.updates.push({ done, total: stage.total });
        },
        stop: () => undefined,
      };
    },
  };
}

const last = (s: Stage) => s.updates[s.updates.length - 1];

/** The CLI's progress bars move with the work and end at 100% when the work ends, stage by stage. */
describe('operator CLI progress', () => {
  let home: LedgerHome;
  let env: NodeJS.ProcessEnv;
  const cli = async (...argv: string[]) => {
    const stages: Stage[] = [];
    const out: string[] = [];
    const code = await runCli(argv, recordingIo(stages, out), env);
    return { code, stages, out };
  };

  beforeAll(async () => {
    home = await createHome('pglite');
    env = { LEDGER_DATA_DIR: home.dataDir, LEDGER_SYSTEM_KEY: home.settings.systemKey! };
    const ledger = await startService(home);
    try {
      expect((await ledger.call('POST', '/v1/accounts', { body: { id: 'acme', name: 'Acme', reseller: true } })).status).toBe(201);
    } finally {
      await ledger.stop();
    }
  }, 180_000);

  afterAll(async () => home?.remove());

  it('generate-numbers shows the projection of its events after the task, to the end', async () => {
    const r = await cli('generate-numbers', 'managed', 'acme', '+14155560000', '1500');
    expect(r.code).toBe(0);
    const projecting = r.stages.find((s) => s.label === 'projecting');
    expect(projecting).toBeDefined();
    expect(last(projecting!).done).toBeGreaterThanOrEqual(1500);
    expect(last(projecting!).done).toBe(last(projecting!).total);
    const task = r.stages.find((s) => s.label === 'import')!;
    expect(last(task)).toEqual({ done: 1500, total: 1500 });
  }, 180_000);

  it('verify shows the replay against the log\'s size, then each table compared', async () => {
    const r = await cli('verify');
    expect(r.code).toBe(0);
    const replay = r.stages.find((s) => s.label === 'replaying')!;
    expect(replay.updates.length).toBeGreaterThan(1);
    // Before the end the bar is short of 100% (it was always full before).
    expect(replay.updates[0].done).toBeLessThan(replay.updates[0].total);
    expect(last(replay).done).toBe(last(replay).total);
    const comparing = r.stages.find((s) => s.label === 'comparing')!;
    expect(comparing.total).toBeGreaterThan(1);
    expect(last(comparing)).toEqual({ done: comparing.total, total: comparing.total });
  }, 180_000);

  it('rebuild-projections ends its bar at what it applied', async () => {
    const r = await cli('rebuild-projections');
    expect(r.code).toBe(0);
    const rebuild = r.stages.find((s) => s.label === 'rebuilding')!;
    // The log (about 1,500 events) fits one read batch of the projector, so one step may be all.
    expect(rebuild.total).toBeGreaterThan(1500);
    expect(last(rebuild).done).toBe(last(rebuild).total);
    expect(r.out.join('\n')).toContain(`from ${last(rebuild).done} events`);
  }, 180_000);
});
