import { createHome, LedgerHome, parseCsv, RunningLedger, startService, StoreKind, waitForTask } from './tasks-harness';

/**
 * CSV rows with feature columns (SPEC 11, 12): a row applies whole or not at all, whichever
 * of its two commands refuses it, and every feature column is applied or refused, never dropped.
 */
export function describeTaskFeatureScenarios(kind: StoreKind): void {
  describe(`bulk CSV tasks with feature columns (${kind})`, () => {
    let home: LedgerHome;
    let ledger: RunningLedger;

    const submit = (action: string, csv: string, query = '') => ledger.call('POST', `/v1/tasks?action=${action}${query}`, { csv });
    const run = async (action: string, csv: string, query = '') => {
      const r = await submit(action, csv, query);
      expect(r.status).toBe(202);
      const done = await waitForTask(ledger, r.body.id);
      return { done, rows: parseCsv((await ledger.call('GET', `/v1/tasks/${r.body.id}/output`)).body) };
    };
    const streamEvents = async (e164: string) => (await ledger.runtime.stores.sql.query<{ type: string; metadata: Record<string, unknown> }>(
      `SELECT type, metadata, data FROM ledger_events WHERE stream_id = 'number-${e164}' ORDER BY revision`,
    )).rows;
    const number = (e164: string) => ledger.call('GET', `/v1/numbers/${encodeURIComponent(e164)}`);

    beforeAll(async () => {
      home = await createHome(kind);
      ledger = await startService(home);
      expect((await ledger.call('POST', '/v1/accounts', { body: { id: 'childA', name: 'Child A' } })).status).toBe(201);
    });

    afterAll(async () => {
      await ledger?.stop();
      await home?.remove();
    });

    it('refuses an import row whose feature the new number may not have, appending nothing, real run and dry run alike', async () => {
      const e164 = '+14155550802';
      const csv = `e164,account_id,carrier_module,e911.street_address,e911.locality\n${e164},childA,knm_local,1 Main,SF\n`;
      const refusal = `unauthorized: feature e911 is not available on ${e164}`;

      const dry = await run('import', csv, '&dryRun=true');
      expect(dry.rows[1].slice(-2)).toEqual(['error', refusal]);

      const real = await run('import', csv);
      expect(real.done).toMatchObject({ status: 'failure', succeeded: 0, failed: 1 });
      expect(real.rows[1].slice(-2)).toEqual(['error', refusal]);
      expect(await streamEvents(e164)).toEqual([]);
      expect((await number(e164)).status).toBe(404);
      expect((await ledger.call('GET', `/v1/numbers/${encodeURIComponent(e164)}/history`)).status).toBe(404);
    });

    it('applies a valid import row with features whole: the number and its features, in one append', async () => {
      const e164 = '+14155550803';
      const { done, rows } = await run('import', `e164,account_id,carrier_module,e911.street_address,e911.locality\n${e164},childA,knm_inventory,1 Main,SF\n`);
      expect(done).toMatchObject({ status: 'success', succeeded: 1, failed: 0 });
      expect(rows[1].slice(-2)).toEqual(['success', '']);
      const events = await streamEvents(e164);
      expect(events.map((e) => e.type)).toEqual(['NumberAdded.v1', 'NumberFeaturesSet.v1']);
      expect(events.map((e) => e.metadata.command)).toEqual(['AddNumber', 'SetFeatures']);
      expect(events.every((e) => e.metadata.taskId === done.id)).toBe(true);
      const got = await number(e164);
      expect(got.body).toMatchObject({ state: 'in_service', assignedTo: 'childA', features: { active: { e911: { street_address: '1 Main', locality: 'SF' } } } });

      const again = await run('import', `e164,account_id,carrier_module,e911.street_address,e911.locality\n${e164},childA,knm_inventory,1 Main,SF\n`);
      expect(again.rows[1].slice(-2)).toEqual(['unchanged', '']);
      expect(await streamEvents(e164)).toHaveLength(2);
    });

    it('applies failover.e164 by the rules a PATCH of the features follows: refused here, as over HTTP', async () => {
      const e164 = '+14155550821';
      expect((await ledger.call('POST', '/v1/numbers', { body: { number: e164, state: 'available', carrierModule: 'knm_inventory' } })).status).toBe(201);
      const before = await streamEvents(e164);
      const patch = await ledger.call('PATCH', `/v1/numbers/${encodeURIComponent(e164)}/features`, { body: { failover: { e164: '+14155559999' } } });
      expect(patch.status).toBe(403);

      const { done, rows } = await run('assign_to', `e164,account_id,failover.e164\n${e164},childA,+14155559999\n`);
      expect(done).toMatchObject({ status: 'failure', succeeded: 0, failed: 1 });
      expect(rows[1].slice(-2)).toEqual(['error', `unauthorized: ${patch.body.detail}`]);
      expect(await streamEvents(e164)).toEqual(before); // not assigned either
      expect((await number(e164)).body).toMatchObject({ state: 'available', assignedTo: null });
    });

    it('refuses a row that fills a column looking like a feature column but none of them, and applies nothing', async () => {
      const e164 = '+14155550822';
      const { done, rows } = await run('import', `e164,account_id,sms.enabled,E911.locality\n${e164},childA,true,\n+14155550823,childA,,SF\n+14155550824,childA,,\n`);
      expect(done).toMatchObject({ status: 'partial', succeeded: 1, failed: 2 });
      expect(rows.slice(1).map((r) => [r[4], r[5].split(':')[0]])).toEqual([['error', 'validation_failed'], ['error', 'validation_failed'], ['success', '']]);
      expect(rows[1][5]).toContain('"sms.enabled"');
      expect(rows[2][5]).toContain('"E911.locality"');
      expect(await streamEvents(e164)).toEqual([]);
      expect(await streamEvents('+14155550823')).toEqual([]);
    });

    it('releases and deletes rows whatever feature columns they carry (a dump handed back), recording no feature change', async () => {
      const [kept, gone] = ['+14155550831', '+14155550832'];
      const held = await run('import', `e164,account_id,cnam.inbound\n${kept},childA,true\n${gone},childA,true\n`);
      expect(held.done).toMatchObject({ status: 'success', succeeded: 2 });
      const columns = 'e164,account_id,cnam.inbound,e911.locality,sms.enabled';
      const released = await run('release', `${columns}\n${kept},childA,true,SF,yes\n`);
      expect(released.done).toMatchObject({ status: 'success', succeeded: 1, failed: 0 });
      expect(released.rows[1].slice(-2)).toEqual(['success', '']);
      expect((await number(kept)).body).toMatchObject({ assignedTo: null });
      expect((await number(kept)).body.state).not.toBe('in_service');
      expect((await streamEvents(kept)).map((e) => e.metadata.command)).toEqual(['AddNumber', 'SetFeatures', 'ReleaseNumber']);
      const deleted = await run('delete', `${columns}\n${gone},childA,true,SF,yes\n`);
      expect(deleted.rows[1].slice(-2)).toEqual(['success', '']);
      expect((await streamEvents(gone)).map((e) => e.metadata.command)).toEqual(['AddNumber', 'SetFeatures', 'DeleteNumber']);
    });
  });
}
