import { Projector } from '@ledger/projections/projector';
import { SeenStreams } from '@ledger/projections/test/seen-streams';
import { testLog } from '@ledger/projections/test/test-log';
import { resumeWhenCaughtUp } from './position';

/**
 * Work left unfinished by the last instance (tasks, audits) is found in a read model at start.
 * That read model may not hold the last instance's final events yet: on PostgreSQL another
 * session's open transaction hides them from the start's catch-up. Resuming waits until it does.
 */
describe('resumeWhenCaughtUp: resumes from a read model only once it holds the whole log', () => {
  const { log, append } = testLog('pglite');
  const seen = async () => (await log.sql.query<{ stream_id: string }>('SELECT stream_id FROM seen_streams')).rows.map((r) => r.stream_id);

  it('reads the read model after the projector has applied what was committed before the start', async () => {
    const projector = new Projector(log.store, log.sql, [new SeenStreams()]);
    await projector.migrate();
    await append('task-left-unfinished');
    let resumed = false;
    const resuming = resumeWhenCaughtUp(projector, ['seen'], async () => {
      resumed = true;
      return seen();
    });
    await new Promise((r) => setImmediate(r));
    expect(resumed).toBe(false); // nothing applies the log yet: the read model lacks the event
    projector.start();
    await expect(resuming).resolves.toEqual(['task-left-unfinished']);
    await projector.stop();
  });

  it('resumes nothing when the projector stops first (a shutdown during the start)', async () => {
    const projector = new Projector(log.store, log.sql, [new SeenStreams()]);
    await projector.migrate();
    await append('task-left-unfinished');
    const resume = jest.fn(seen);
    const resuming = resumeWhenCaughtUp(projector, ['seen'], resume);
    await projector.stop();
    await expect(resuming).resolves.toBeUndefined();
    expect(resume).not.toHaveBeenCalled();
  });
});
