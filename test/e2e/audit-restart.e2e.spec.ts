import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LedgerHarness, startLedger } from '../support/ledger-harness';

/**
 * A large audit runs in the background (202, progress on GET /v1/audits/{id})
 * and survives a restart of the service: the new instance resumes it after
 * its last applied chunk and no change is made twice.
 */
describe('background audit across a restart (embedded PGlite)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ledger-audit-restart-'));
  const saved = { ...process.env };
  let ledger: LedgerHarness | null = null;
  const numbers = Array.from({ length: 40 }, (_, i) => `+1718${String(3000000 + i * 7).padStart(7, '0')}`);

  beforeAll(() => {
    Object.assign(process.env, { LEDGER_AUDIT_SYNC_LIMIT: '10', LEDGER_AUDIT_CHUNK_SIZE: '2', LEDGER_AUDIT_CONCURRENCY: '1', LEDGER_AUDIT_PAUSE_MS: '100' });
  });

  afterAll(async () => {
    await ledger?.close();
    process.env = saved;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers 202, shows progress, and completes after a restart without doubling any change', async () => {
    ledger = await startLedger('pglite', { dataDir });
    const call = (method: string, path: string, body?: unknown) => ledger!.call(method, path, { body });
    for (const a of [{ id: 'op', name: 'Op', reseller: true }, { id: 'big', name: 'Big', parentId: 'op' }, { id: 'big-s', name: 'Site', parentId: 'big' }]) {
      expect((await call('POST', '/v1/accounts', a)).status).toBe(201);
    }
    expect((await call('PUT', '/v1/accounts/big-s/services/trunk/t1', { numbers })).status).toBe(200);

    const started = await call('POST', '/v1/audits', { accountId: 'big', level: 'customer' });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ status: 'running', progress: { total: numbers.length } });
    expect(started.body.progress.processed).toBeLessThan(numbers.length);
    const id: string = started.body.id;
    await ledger.close(); // stops at the next chunk boundary
    process.env.LEDGER_AUDIT_PAUSE_MS = '0';
    ledger = await startLedger('pglite', { dataDir });

    // Until the resumed audit says it is done, however long a busy machine takes (Jest's timeout is the bound).
    let audit: any = null;
    while (audit?.status !== 'completed') {
      await new Promise((r) => setTimeout(r, 100));
      audit = (await call('GET', `/v1/audits/${id}`)).body;
      if (audit?.status === 'failed') break;
    }
    expect(audit).toMatchObject({ status: 'completed', progress: { total: numbers.length, processed: numbers.length } });
    expect(audit.counts).toEqual({ added: numbers.length, updated: 0, conflicts: 0, unused: 0 });

    const stream = await ledger.runtime.stores.events.readStream(`audit-${id}`);
    expect(stream.map((e) => e.type)).toContain('AuditResumed.v1');
    for (const n of numbers) {
      const history = (await call('GET', `/v1/numbers/${encodeURIComponent(n)}/history`)).body.data as any[];
      expect(history.map((e) => e.type)).toEqual(['NumberAdded.v1', 'NumberUsageSet.v1']);
      expect(history.every((e) => e.metadata.auditId === id)).toBe(true);
    }
  }, 300_000);
});
