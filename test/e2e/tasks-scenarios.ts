import { crashAtCheckpoint, createHome, LedgerHome, parseCsv, RunningLedger, startService, StoreKind, waitForTask } from './tasks-harness';

/**
 * Bulk CSV tasks over HTTP (SPEC 11, API.md "Bulk tasks") against the real service,
 * including a crash between a chunk's events and its checkpoint, and a restart.
 */
export function describeTaskScenarios(kind: StoreKind): void {
  describe(`bulk CSV tasks over HTTP (${kind})`, () => {
    let home: LedgerHome;
    let ledger: RunningLedger;
    const keys: Record<string, string> = {};

    const count = async (sql: string): Promise<number> => Number((await ledger.runtime.stores.sql.query<{ n: number }>(sql)).rows[0].n);
    const numberEvents = (prefix: string) => count(`SELECT count(*) AS n FROM ledger_events WHERE stream_id LIKE 'number-${prefix}%'`);
    const submit = (action: string, csv: string, key?: string, query = '') =>
      ledger.call('POST', `/v1/tasks?action=${action}${query}`, { csv, key });
    const output = async (id: string, key?: string) => parseCsv((await ledger.call('GET', `/v1/tasks/${id}/output`, { key })).body);
    const numbers = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(11 - prefix.length + 1, '0')}`);

    beforeAll(async () => {
      home = await createHome(kind);
      ledger = await startService(home);
      for (const a of [
        { id: 'acme', name: 'Acme', reseller: true },
        { id: 'acme-site', name: 'Acme site', parentId: 'acme' },
        { id: 'other', name: 'Other' },
      ]) {
        expect((await ledger.call('POST', '/v1/accounts', { body: a })).status).toBe(201);
        keys[a.id] = (await ledger.call('POST', `/v1/accounts/${a.id}/keys`, { body: {} })).body.key;
      }
    });

    afterAll(async () => {
      await ledger?.stop();
      await home?.remove();
    });

    it('imports 10,000 rows, reports exactly the bad ones, and a re-run changes nothing', async () => {
      const taken = '+12124007000';
      expect((await ledger.call('POST', '/v1/numbers', { body: { number: taken, accountId: 'acme', state: 'in_service', carrierModule: 'knm_inventory' } })).status).toBe(201);
      const bad: Record<number, [string, string]> = {
        10: ['not-a-number,,,', 'not_reconcilable'],
        501: ['+12124010501,ghost,in_service,', 'assign_failure'],
        1001: ['+12124011001,,,knm_bogus', 'validation_failed'],
        2001: ['+12124000001,,,', 'duplicate_row'], // row 2's number
        5001: ['+12124015001,,deleted,', 'invalid_state_transition'],
        7001: [`${taken},acme-site,in_service,`, 'number_exists'],
        9999: ['+12124019999,,,knm_bandwidth', 'validation_failed'],
      };
      const lines = ['e164,account_id,state,carrier_module'];
      for (let row = 1; row <= 10_000; row++) {
        const n = `+1212400${String(row - 1).padStart(4, '0')}`;
        lines.push(bad[row]?.[0] ?? (row % 100 === 0 ? `${n},acme,,` : `${n},,,`));
      }
      const csv = lines.join('\n') + '\n';

      const submitted = await submit('import', csv);
      expect(submitted.status).toBe(202);
      expect(submitted.body).toMatchObject({ action: 'import', status: 'pending', total: 10_000 });
      const done = await waitForTask(ledger, submitted.body.id);
      expect(done).toMatchObject({ status: 'partial', total: 10_000, processed: 10_000, succeeded: 9_993, failed: 7 });

      const rows = await output(submitted.body.id);
      expect(rows[0]).toEqual(['e164', 'account_id', 'state', 'carrier_module', 'result', 'error']);
      expect(rows).toHaveLength(10_001);
      const errors = rows.slice(1).flatMap((r, i) => (r[4] === 'error' ? [[i + 1, r[5].split(':')[0]]] : []));
      expect(errors).toEqual(Object.entries(bad).map(([row, [, code]]) => [Number(row), code]));
      expect(rows[1]).toEqual(['+12124000000', '', '', '', 'success', '']);

      expect(await count(`SELECT count(*) AS n FROM inventory WHERE number LIKE '+1212400%' AND state = 'available' AND carrier_module = 'knm_inventory'`)).toBe(9_893);
      expect(await count(`SELECT count(*) AS n FROM inventory WHERE number LIKE '+1212400%' AND assigned_to = 'acme' AND state = 'in_service'`)).toBe(101);
      const events = await numberEvents('+1212400');
      expect(events).toBe(9_994); // 9,993 imported + the number added beforehand

      const again = await submit('import', csv);
      const second = await waitForTask(ledger, again.body.id);
      expect(second).toMatchObject({ status: 'partial', succeeded: 9_993, failed: 7 });
      const rerun = await output(again.body.id);
      expect(rerun.slice(1).filter((r) => r[4] === 'unchanged')).toHaveLength(9_993);
      expect(await numberEvents('+1212400')).toBe(events);
    });

    it('validates every row on a dry run and changes nothing', async () => {
      const csv = ['e164,account_id', ...numbers('+1313500', 200).map((n) => `${n},`), '+13135009999,ghost', 'nonsense,'].join('\n');
      // an account named for an available import means in_service for it: unknown account fails
      const r = await submit('import', csv, undefined, '&dryRun=true');
      const done = await waitForTask(ledger, r.body.id);
      expect(done).toMatchObject({ status: 'partial', dryRun: true, succeeded: 200, failed: 2 });
      const rows = await output(r.body.id);
      expect(rows.slice(1, 201).every((row) => row[2] === 'valid')).toBe(true);
      expect(rows[201][3]).toMatch(/^assign_failure/);
      expect(await numberEvents('+1313500')).toBe(0);
    });

    it('resumes an import whose process died between a chunk and its checkpoint, applying every row once', async () => {
      ledger.tasks.options.bulkChunkRows = 250;
      const crashed = crashAtCheckpoint(ledger, 4);
      const list = numbers('+1414600', 3_000);
      const r = await submit('import', ['e164', ...list].join('\n'));
      await crashed;
      await ledger.stop();
      ledger = await startService(home); // resumes interrupted tasks on start
      const done = await waitForTask(ledger, r.body.id);
      expect(done).toMatchObject({ status: 'success', total: 3_000, succeeded: 3_000, failed: 0 });
      expect(await numberEvents('+1414600')).toBe(3_000);
      expect(await count(`SELECT count(DISTINCT stream_id) AS n FROM ledger_events WHERE stream_id LIKE 'number-+1414600%'`)).toBe(3_000);
      const rows = await output(r.body.id);
      expect(rows.slice(1).map((row) => row[0])).toEqual(list);
      expect(rows.slice(1).every((row) => row[1] === 'success')).toBe(true);
    });

    it('resumes a per-row task (reserve) interrupted mid-chunk without reserving twice', async () => {
      ledger.tasks.options.rowChunkRows = 40;
      const list = numbers('+1414600', 300);
      const crashed = crashAtCheckpoint(ledger, 3);
      const r = await submit('reserve', ['e164,account_id', ...list.map((n) => `${n},acme-site`)].join('\n'));
      await crashed;
      await ledger.stop();
      ledger = await startService(home);
      const done = await waitForTask(ledger, r.body.id);
      expect(done).toMatchObject({ status: 'success', succeeded: 300, failed: 0 });
      expect(await count(`SELECT count(*) AS n FROM ledger_events WHERE type = 'NumberReserved.v1' AND stream_id LIKE 'number-+1414600%'`)).toBe(300);
      expect((await output(r.body.id)).slice(1).map((row) => row[2])).toEqual(list.map(() => 'success'));
    });

    it('applies each row with the rules of its submitter', async () => {
      const mine = '+12124000099'; // in_service for acme since the big import
      const r = await submit('release', `e164\n${mine}\n+12124000199\n`, keys.other);
      const done = await waitForTask(ledger, r.body.id, keys.other);
      expect(done).toMatchObject({ status: 'failure', succeeded: 0, failed: 2 });
      expect((await output(r.body.id, keys.other))[1][2]).toMatch(/^unauthorized/);
      // Another account's task answers as none does (SPEC 12: whether it exists is not the caller's to learn).
      const foreign = await ledger.call('GET', `/v1/tasks/${r.body.id}`, { key: keys['acme-site'] });
      const none = await ledger.call('GET', '/v1/tasks/00000000-0000-0000-0000-000000000000', { key: keys['acme-site'] });
      expect([foreign.status, foreign.body.code]).toEqual([404, 'not_found']);
      expect(foreign.body.detail.replace(r.body.id, 'ID')).toBe(none.body.detail.replace('00000000-0000-0000-0000-000000000000', 'ID'));
      expect((await ledger.call('GET', `/v1/numbers/${encodeURIComponent(mine)}`)).body.state).toBe('in_service');
    });

    it('lists the caller\'s subtree and dumps the whole inventory for the system', async () => {
      const list = await submit('list', '', keys.acme);
      expect(list.status).toBe(202);
      const listed = await waitForTask(ledger, list.body.id, keys.acme);
      const rows = await output(list.body.id, keys.acme);
      expect(rows[0]).toEqual(['e164', 'state', 'carrier_module', 'account_id', 'classification', 'updated_at']);
      expect(listed.total).toBe(rows.length - 1);
      expect(rows.slice(1).every((row) => ['acme', 'acme-site'].includes(row[3]))).toBe(true);
      expect(rows.slice(1).filter((row) => row[3] === 'acme-site')).toHaveLength(300);

      const dump = await ledger.call('POST', '/v1/tasks?action=dump');
      await waitForTask(ledger, dump.body.id);
      const all = await output(dump.body.id);
      expect(all[0]).toContain('reserve_history');
      expect(all.length - 1).toBe(await count(`SELECT count(*) AS n FROM inventory WHERE state <> 'deleted'`));
    });

    it('exports every change recorded before the export started, even one the read models have not applied yet', async () => {
      const system = { requester: { accountId: 'system', isSystem: true } };
      const { projector, runner } = ledger.runtime;
      await projector.stop(); // nothing applies the log now: the inventory lacks what follows
      try {
        await runner.run('+13125559901', { type: 'AddNumber', state: 'available', carrierModule: 'knm_inventory' }, system);
        const { state } = await ledger.tasks.submit('dump', system.requester, null, false);
        expect(await ledger.tasks.run(state.id, () => false)).toBe('finished');
        const text = (await ledger.tasks.storage.output(state.id, (await ledger.tasks.journal.load(state.id))!.outputBytes).toArray()).join('');
        expect(parseCsv(text).map((row) => row[0])).toContain('+13125559901');
      } finally {
        projector.start();
      }
    });

    it('refuses the rows that take an account past its billable-number limit, one by one as commands are, applying none of them in part', async () => {
      const holds = (account: string) =>
        count(`SELECT count(*) AS n FROM inventory WHERE assigned_to = '${account}' AND state IN ('reserved', 'in_service', 'port_in')`);
      const visible = async (account: string, n: number) => {
        while ((await holds(account)) !== n) await new Promise((r) => setTimeout(r, 20));
      };
      expect((await ledger.call('POST', '/v1/accounts', { body: { id: 'capped', name: 'Capped', maxBillableNumbers: 3 } })).status).toBe(201);
      const n = (i: number) => `+1646700000${i}`;
      expect((await ledger.call('POST', '/v1/numbers', { body: { number: n(0), accountId: 'capped', state: 'in_service', carrierModule: 'knm_managed' } })).status).toBe(201);
      await visible('capped', 1); // the limit counts on the inventory, as for commands

      const imported = await submit('import', [
        'e164,account_id,state,carrier_module',
        `${n(1)},capped,in_service,knm_managed`,
        `${n(2)},capped,available,knm_managed`, // in its pool, not held: not counted
        `${n(3)},capped,in_service,knm_managed`,
        `${n(4)},capped,in_service,knm_managed`,
        `${n(5)},,,`,
        `${n(6)},capped,in_service,knm_managed`,
      ].join('\n'));
      expect(await waitForTask(ledger, imported.body.id)).toMatchObject({ status: 'partial', succeeded: 4, failed: 2 });
      const results = (await output(imported.body.id)).slice(1).map((r) => [r[0], r[4], r[5].split(':')[0]]);
      expect(results).toEqual([
        [n(1), 'success', ''], [n(2), 'success', ''], [n(3), 'success', ''],
        [n(4), 'error', 'service_restriction'], [n(5), 'success', ''], [n(6), 'error', 'service_restriction'],
      ]);
      expect(await numberEvents(n(4))).toBe(0);
      expect(await numberEvents(n(6))).toBe(0);
      await visible('capped', 3);

      const command = await ledger.call('POST', '/v1/numbers', { body: { number: n(4), accountId: 'capped', state: 'in_service', carrierModule: 'knm_managed' } });
      expect(command.status).toBe(402);
      expect(command.body.code).toBe('service_restriction');
      const taskError = (await output(imported.body.id))[4][5];
      expect(taskError).toBe(`service_restriction: ${command.body.detail}`);

      const assigned = await submit('assign_to', `e164,account_id\n${n(2)},capped\n`);
      expect(await waitForTask(ledger, assigned.body.id)).toMatchObject({ status: 'failure', succeeded: 0, failed: 1 });
      expect((await output(assigned.body.id))[1][3]).toBe(taskError);
      expect((await ledger.call('GET', `/v1/numbers/${encodeURIComponent(n(2))}`)).body.state).toBe('available');

      const withFeatures = await submit('import', `e164,account_id,state,carrier_module,cnam.inbound\n${n(7)},capped,in_service,knm_managed,ACME\n`);
      expect(await waitForTask(ledger, withFeatures.body.id)).toMatchObject({ status: 'failure', succeeded: 0, failed: 1 });
      expect((await output(withFeatures.body.id))[1][6]).toBe(taskError);
      expect(await numberEvents(n(7))).toBe(0); // neither the number nor its features
      expect(await holds('capped')).toBe(3);
    });

    it('refuses bad submissions with problem+json and records nothing', async () => {
      const before = await count(`SELECT count(*) AS n FROM tasks`);
      const noColumn = await submit('import', 'number\n+12125550100\n');
      expect(noColumn.status).toBe(400);
      expect(noColumn.body.code).toBe('validation_failed');
      expect((await submit('explode', 'e164\n+12125550100\n')).status).toBe(400);
      expect((await submit('import', 'e164\n+12125550100\n', 'not-a-key')).status).toBe(401);
      expect((await ledger.call('POST', '/v1/tasks?action=import', { body: { e164: '+12125550100' } })).status).toBe(400);
      expect((await ledger.call('GET', '/v1/tasks/00000000-0000-0000-0000-000000000000')).status).toBe(404);
      expect(await count(`SELECT count(*) AS n FROM tasks`)).toBe(before);
    });
  });
}
