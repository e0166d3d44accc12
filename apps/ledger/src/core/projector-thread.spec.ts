/**
 * ProjectorThread runs a real worker thread from an entry file. Here the entry is a small
 * script that dies the first time it starts (as a thread would on an out-of-memory or a bug)
 * and reports a batch the second time: the service must start it again, hear the batch, pass
 * on local appends, and stop it for good when asked.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendSignalFor } from '@ledger/event-store/append-signal';
import type { AppliedBatch } from '@ledger/projections/projector';
import type { SqlClient } from '@ledger/sql/sql-client';
import { ProjectorThread } from './projector-thread';

const ENTRY = `
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const starts = workerData.databaseUrl;
const n = fs.existsSync(starts) ? Number(fs.readFileSync(starts, 'utf8')) + 1 : 1;
fs.writeFileSync(starts, String(n));
if (n === 1) throw new Error('the thread died');
parentPort.postMessage({ kind: 'applied', applied: { events: [], statuses: [], position: n + ':0' } });
parentPort.on('message', (c) => {
  if (c === 'appended') parentPort.postMessage({ kind: 'error', error: 'heard an append' });
  else parentPort.close();
});
`;

describe('ProjectorThread', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'projector-thread-'));
    writeFileSync(join(dir, 'entry.js'), ENTRY);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('starts a thread that died again, hears it, passes on local appends, and stops it', async () => {
    const starts = join(dir, 'starts');
    const sql = {} as SqlClient; // only the key of its append signal
    const logged: string[] = [];
    const thread = new ProjectorThread(join(dir, 'entry.js'), { databaseUrl: starts, schema: 'public', coalesceMs: 0 }, sql, (line) => logged.push(line));
    const heard: AppliedBatch[] = [];
    const failures: string[] = [];
    let wake: () => void = () => undefined;
    const next = (done: () => boolean) => new Promise<void>((resolve) => {
      wake = () => done() && resolve();
      wake();
    });
    thread.start((b) => (heard.push(b), wake()), (err) => (failures.push(err.message), wake()));

    await next(() => heard.length === 1);
    expect(heard[0].position).toBe('2:0');
    expect(readFileSync(starts, 'utf8')).toBe('2');
    expect(failures).toEqual(['the thread died']);
    expect(logged).toEqual(['projector thread started', 'projector thread failed: the thread died', 'projector thread exited; starting it again', 'projector thread started']);

    appendSignalFor(sql).notify();
    await next(() => failures.length === 2);
    expect(failures[1]).toBe('heard an append');

    await thread.stop();
    // A thread stopped on purpose is not started again (the exit handler would say so at once).
    expect(logged.filter((l) => l === 'projector thread exited; starting it again')).toHaveLength(1);
  });
});
