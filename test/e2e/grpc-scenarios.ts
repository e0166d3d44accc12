import { Client, credentials, Metadata, ServiceError, status } from '@grpc/grpc-js';
import { parse } from 'csv-parse/sync';
import { fromStruct } from '../../apps/ledger/src/grpc/struct';
import { CallOptions } from '../../apps/ledger/src/grpc/ledger-grpc-client';
import { whileAppendsLoseTheRace } from '../support/losing-race';
import { GrpcLedger } from './grpc-harness';
import { FakeCarrier, json, settingsFor } from '@ledger/carriers/test/fake-carrier';
import { callByReflection, listServicesByReflection, reflectionClient, unresolvedReferences } from './grpc-reflection-client';

/**
 * The gRPC end-to-end suite: a real grpc-js client over a socket against the real
 * service (HTTP and gRPC on one runtime).
 */
export function describeGrpcScenarios(name: string, start: () => Promise<GrpcLedger>): void {
  describe(`ledger over gRPC (${name})`, () => {
    let ledger: GrpcLedger;
    const keys: Record<string, string> = {};
    let seq = 0;
    /** A fresh number per test: +1 628 3xx xxxx. */
    const fresh = () => `+1628${String(3000000 + ++seq * 7).padStart(7, '0')}`;
    const key = (who: string) => (who === 'system' ? ledger.systemKey : keys[who]);
    const numbers = (who: string) => (method: string, request: object, options: CallOptions = {}) =>
      ledger.grpc.call('Numbers', method, request, { key: key(who), ...options });
    const sys = numbers('system');

    /** The gRPC error of a call that must fail. */
    async function failure(call: Promise<unknown>): Promise<{ code: status; errorCode: unknown; details: string }> {
      const err = await call.then(
        () => {
          throw new Error('the call succeeded');
        },
        (e: ServiceError) => e,
      );
      return { code: err.code, errorCode: (err.metadata as Metadata | undefined)?.get('ledger-error-code')[0], details: err.details };
    }

    beforeAll(async () => {
      ledger = await start();
      const accounts = [
        { id: 'res', name: 'Reseller', reseller: true, allowNumberAdditions: true },
        { id: 'child', name: 'Child of reseller', parentId: 'res' },
        { id: 'other', name: 'Unrelated' },
      ];
      for (const a of accounts) {
        const created = await ledger.grpc.call('Accounts', 'CreateAccount', a, { key: ledger.systemKey });
        expect(created.position).toMatch(/^\d+:\d+$/);
        const issued = await ledger.grpc.call('Accounts', 'IssueAccountKey', { accountId: a.id, name: 'grpc-test' }, { key: ledger.systemKey });
        keys[a.id] = issued.key;
      }
    });

    afterAll(async () => ledger?.close());

    describe('accounts', () => {
      it('shows an account with its ancestors to its reseller, not to an unrelated account', async () => {
        const child = await ledger.grpc.call('Accounts', 'GetAccount', { id: 'child' }, { key: keys.res });
        expect(child).toMatchObject({ id: 'child', parentId: 'res', ancestors: ['system', 'res'] });
        expect(await failure(ledger.grpc.call('Accounts', 'GetAccount', { id: 'child' }, { key: keys.other })))
          .toMatchObject({ code: status.PERMISSION_DENIED, errorCode: 'unauthorized' });
      });

      it('lets a key issued over gRPC work over HTTP too', async () => {
        const r = await ledger.httpGet('/v1/accounts/child', keys.child);
        expect(r.status).toBe(200);
        expect(r.body.id).toBe('child');
      });
    });

    describe('a full lifecycle', () => {
      it('adds, reserves, acquires, reads (now and as of), releases, ages and deletes a number', async () => {
        const n = fresh();
        const added = await sys('AddNumber', { number: n.slice(2), state: 'available', carrierModule: 'knm_inventory' });
        expect(added.number).toMatchObject({ number: n, state: 'available', carrierModule: 'knm_inventory', classification: 'did_us' });
        expect(added.position).toMatch(/^\d+:\d+$/);

        const reserved = await numbers('res')('ReserveNumber', { number: n, accountId: 'child' });
        expect(reserved.number).toMatchObject({ state: 'reserved', assignedTo: 'child', reserveHistory: ['child'] });

        const acquired = await numbers('child')('AcquireNumber', { number: n });
        expect(acquired.number).toMatchObject({ state: 'in_service', assignedTo: 'child' });
        // An instant strictly between the acquire and the next change (events are recorded to the millisecond).
        await new Promise((r) => setTimeout(r, 20));
        const afterAcquire = new Date().toISOString();
        await new Promise((r) => setTimeout(r, 20));

        const withFeature = await numbers('child')('SetFeatures', {
          number: n,
          changes: { fields: { prepend: { structValue: { fields: { enabled: { boolValue: true }, name: { stringValue: 'ACME' } } } } } },
        });
        expect(fromStruct(withFeature.number.features.active)).toEqual({ prepend: { enabled: true, name: 'ACME' } });

        const overHttp = await ledger.httpGet(`/v1/numbers/${encodeURIComponent(n)}`, keys.child);
        expect(overHttp.body).toMatchObject({ number: n, state: 'in_service', assignedTo: 'child', version: 4 });

        const listed = await numbers('res')('ListNumbers', { prefix: n.slice(0, 9), minPosition: withFeature.position });
        expect(listed.data.map((x: any) => x.number)).toContain(n);
        expect(listed.data.find((x: any) => x.number === n)).toMatchObject({ state: 'in_service', assignedTo: 'child' });

        const released = await numbers('child')('ReleaseNumber', { number: n });
        expect(released.number).toMatchObject({ state: 'aging', reserveHistory: [] });
        expect(released.number.assignedTo).toBeUndefined();
        expect(Date.parse(released.number.agingUntil) - Date.now()).toBeGreaterThan(89 * 86_400_000);

        const past = await numbers('res')('GetNumber', { number: n, asOf: afterAcquire });
        expect(past).toMatchObject({ state: 'in_service', assignedTo: 'child', version: 3 });

        const aged = await sys('AgeNumber', { number: n, force: true });
        expect(aged.number.state).toBe('available');
        const found = await numbers('other')('SearchNumbers', { prefix: n.slice(2, 9), quantity: 1000, minPosition: aged.position });
        expect(found.data.map((x: any) => x.number)).toContain(n);
        expect((await sys('DeleteNumber', { number: n })).number.state).toBe('deleted');
        expect((await sys('GetNumber', { number: n })).state).toBe('deleted');
      });

      it('runs a collection command per number, reporting each failure beside the successes', async () => {
        const [a, b] = [fresh(), fresh()];
        await sys('AddNumber', { number: a, state: 'available', carrierModule: 'knm_inventory' });
        const r = await numbers('res')('RunCollection', { action: 'reserve', numbers: [a, b], accountId: 'child' });
        expect(r.success[a]).toMatchObject({ state: 'reserved', assignedTo: 'child' });
        expect(r.error[b]).toMatchObject({ code: 'not_found' });
        expect(r.position).toMatch(/^\d+:\d+$/);
      });

      it('replays a command sent again with the same idempotency-key, and refuses the key on another request', async () => {
        const n = fresh();
        const first = await sys('AddNumber', { number: n, state: 'available' }, { idempotencyKey: `add-${n}` });
        const again = await sys('AddNumber', { number: n, state: 'available' }, { idempotencyKey: `add-${n}` });
        expect(again).toEqual(first);
        const history = await ledger.grpc.stream('Numbers', 'GetNumberHistory', { number: n }, { key: ledger.systemKey });
        expect(history).toHaveLength(1);
        expect(await failure(sys('AddNumber', { number: fresh(), state: 'available' }, { idempotencyKey: `add-${n}` })))
          .toMatchObject({ code: status.FAILED_PRECONDITION, errorCode: 'idempotency_key_reused' });
      });
    });

    describe('the other entries', () => {
      it('generates a managed pool, ports a number in, creates an mdn number and lists an account\'s numbers', async () => {
        const start = fresh();
        const generated = await sys('GenerateNumbers', { carrierModule: 'knm_managed', accountId: 'res', start, count: 3 });
        expect(generated).toMatchObject({ carrierModule: 'knm_managed', accountId: 'res', count: 3 });
        expect(generated.numbers[0]).toBe(start);
        seq += 3;
        expect(await failure(numbers('res')('GenerateNumbers', { carrierModule: 'knm_managed', accountId: 'res', start: fresh(), count: 1 })))
          .toMatchObject({ code: status.PERMISSION_DENIED });
        const ported = await numbers('child')('PortIn', { number: fresh() });
        expect(ported.number).toMatchObject({ state: 'port_in', assignedTo: 'child', carrierModule: 'knm_local' });
        const mdn = await sys('AddMdnNumber', { number: fresh(), accountId: 'child' });
        expect(mdn.number).toMatchObject({ state: 'in_service', carrierModule: 'knm_mdn' });
        // The listing has no minPosition: wait for the projector to reach the command's position (a bound only for a stuck one).
        await ledger.runtime.projector.settle(mdn.position, 120_000);
        const held = await ledger.grpc.call('Accounts', 'ListAccountNumbers', { accountId: 'child' }, { key: keys.res });
        expect(held.data.map((x: any) => x.number)).toEqual(expect.arrayContaining([ported.number.number, mdn.number.number]));
      });
    });

    describe('billing', () => {
      it('counts the numbers an account holds, now and over a period, and refuses unrelated callers', async () => {
        await ledger.grpc.call('Accounts', 'CreateAccount', { id: 'billed', name: 'Billed', parentId: 'res' }, { key: ledger.systemKey });
        const from = new Date(Date.now() - 1000).toISOString();
        const added = await sys('AddNumber', { number: fresh(), accountId: 'billed', state: 'in_service', carrierModule: 'knm_inventory' });
        const q = await ledger.grpc.call('Billing', 'GetQuantities', { accountId: 'billed', minPosition: added.position }, { key: keys.res });
        expect(q).toMatchObject({ accountId: 'billed', phoneNumbers: {}, numberCarriers: { knm_inventory: 1 } }); // inventory numbers are not billed by default
        const cascade = await ledger.grpc.call('Billing', 'GetQuantities', { accountId: 'res', cascade: true }, { key: keys.res });
        expect(cascade.numberCarriers.knm_inventory).toBeGreaterThanOrEqual(1);
        const days = await ledger.grpc.call('Billing', 'GetNumberDays', { accountId: 'billed', from, to: new Date(Date.now() + 86_400_000).toISOString() }, { key: keys.res });
        expect(days.numberCarriers.knm_inventory).toBeGreaterThan(0);
        expect(await failure(ledger.grpc.call('Billing', 'GetQuantities', { accountId: 'billed' }, { key: keys.other })))
          .toMatchObject({ code: status.PERMISSION_DENIED, errorCode: 'unauthorized' });
        expect(await failure(ledger.grpc.call('Billing', 'GetNumberDays', { accountId: 'billed', from: 'yesterday', to: from }, { key: keys.res })))
          .toMatchObject({ code: status.INVALID_ARGUMENT, errorCode: 'validation_failed' });
      });
    });

    describe('services', () => {
      it('registers a service with its numbers, lists it, sets and clears the numbers\' usage, and deletes it', async () => {
        const services = (who: string) => (method: string, request: object, options: CallOptions = {}) =>
          ledger.grpc.call('Services', method, request, { key: key(who), ...options });
        const n = fresh();
        await sys('AddNumber', { number: n, accountId: 'child' });
        const put = await services('child')('PutService', { accountId: 'child', type: 'device', serviceId: 'desk-1', name: 'Desk', numbers: [n.slice(2)] });
        expect(put).toMatchObject({ accountId: 'child', type: 'device', serviceId: 'desk-1', name: 'Desk', numbers: [n] });
        expect(put.position).toMatch(/^\d+:\d+$/);
        expect((await sys('GetNumber', { number: n })).usedBy).toEqual([{ type: 'device', id: 'desk-1', accountId: 'child' }]);

        const listed = await services('res')('ListServices', { accountId: 'child', minPosition: put.position });
        expect(listed.data).toEqual([expect.objectContaining({ type: 'device', serviceId: 'desk-1', numbers: [n] })]);
        expect(listed.nextCursor).toBeUndefined();
        expect((await services('res')('ListServices', { accountId: 'child', type: 'fax' })).data).toEqual([]);
        const overHttp = await ledger.httpGet('/v1/accounts/child/services', keys.child);
        expect(overHttp.body.data).toEqual([expect.objectContaining({ id: 'desk-1', numbers: [n] })]);

        const removed = await services('child')('DeleteService', { accountId: 'child', type: 'device', serviceId: 'desk-1' });
        expect(removed.position).toMatch(/^\d+:\d+$/);
        expect((await sys('GetNumber', { number: n })).usedBy).toEqual([]);
        expect((await services('child')('ListServices', { accountId: 'child', minPosition: removed.position })).data).toEqual([]);
      });

      it('refuses an unknown type, a foreign account and a missing service, writing nothing', async () => {
        const head = await appendedSoFar(ledger);
        const put = (who: string, request: object) => ledger.grpc.call('Services', 'PutService', request, { key: key(who) });
        expect(await failure(put('child', { accountId: 'child', type: 'pager', serviceId: 'p1', numbers: [] })))
          .toMatchObject({ code: status.INVALID_ARGUMENT, errorCode: 'validation_failed' });
        expect(await failure(put('other', { accountId: 'child', type: 'device', serviceId: 'd1', numbers: [fresh()] })))
          .toMatchObject({ code: status.PERMISSION_DENIED, errorCode: 'unauthorized' });
        expect(await failure(ledger.grpc.call('Services', 'ListServices', { accountId: 'child' }, { key: keys.other })))
          .toMatchObject({ code: status.PERMISSION_DENIED, errorCode: 'unauthorized' });
        expect(await failure(ledger.grpc.call('Services', 'DeleteService', { accountId: 'child', type: 'device', serviceId: 'never' }, { key: keys.child })))
          .toMatchObject({ code: status.NOT_FOUND, errorCode: 'not_found' });
        expect(await appendedSoFar(ledger)).toBe(head);
      });
    });

    describe('audits', () => {
      it('runs a customer audit that adds a number used at a site, and shows it to the reseller only', async () => {
        await ledger.grpc.call('Accounts', 'CreateAccount', { id: 'audited', name: 'Audited', parentId: 'res' }, { key: ledger.systemKey });
        await ledger.grpc.call('Accounts', 'CreateAccount', { id: 'audited-a', name: 'Audited site', parentId: 'audited' }, { key: ledger.systemKey });
        const n = fresh();
        await ledger.grpc.call('Services', 'PutService', { accountId: 'audited-a', type: 'device', serviceId: 'd1', numbers: [n] }, { key: keys.res });

        const audit = await ledger.grpc.call('Audits', 'StartAudit', { accountId: 'audited', level: 'customer' }, { key: keys.res });
        expect(audit).toMatchObject({ status: 'completed', accountId: 'audited', level: 'customer', requestedBy: 'res', counts: { added: 1, conflicts: 0 } });
        expect(audit.position).toMatch(/^\d+:\d+$/);
        const report = fromStruct(audit.report) as Record<string, any[]>;
        expect(report.added.map((l) => l.number)).toEqual([n]);
        expect(await sys('GetNumber', { number: n })).toMatchObject({ state: 'in_service', assignedTo: 'audited' });

        const again = await ledger.grpc.call('Audits', 'GetAudit', { id: audit.id, limit: 0 }, { key: keys.res });
        expect(again).toMatchObject({ id: audit.id, status: 'completed', counts: { added: 1 } });
        expect((fromStruct(again.report) as Record<string, any[]>).added).toEqual([]);
        // another tenant's audit does not exist for the caller (SPEC 12)
        expect(await failure(ledger.grpc.call('Audits', 'GetAudit', { id: audit.id }, { key: keys.other })))
          .toMatchObject({ code: status.NOT_FOUND, errorCode: 'not_found' });
      });

      it('refuses a bad level, an account the caller may not audit and an unknown audit, starting nothing', async () => {
        const head = await appendedSoFar(ledger);
        const start = (who: string, request: object) => ledger.grpc.call('Audits', 'StartAudit', request, { key: key(who) });
        expect(await failure(start('res', { accountId: 'child', level: 'galaxy' })))
          .toMatchObject({ code: status.INVALID_ARGUMENT, errorCode: 'validation_failed' });
        expect(await failure(start('child', { accountId: 'child', level: 'customer' })))
          .toMatchObject({ code: status.PERMISSION_DENIED, errorCode: 'unauthorized' });
        // Outside its subtree, existing or not, is the same refusal (SPEC 12: no probing for account ids).
        expect(await failure(start('res', { accountId: 'nobody', level: 'customer' })))
          .toMatchObject({ code: status.PERMISSION_DENIED, errorCode: 'unauthorized' });
        expect(await failure(start('res', { accountId: 'other', level: 'customer' })))
          .toMatchObject({ code: status.PERMISSION_DENIED, errorCode: 'unauthorized' });
        expect(await failure(ledger.grpc.call('Audits', 'StartAudit', { accountId: 'nobody', level: 'customer' }, { key: ledger.systemKey })))
          .toMatchObject({ code: status.NOT_FOUND, errorCode: 'not_found' });
        expect(await appendedSoFar(ledger)).toBe(head);
      });
    });

    describe('carrier reconciliations', () => {
      it('reconciles a carrier\'s own list with the ledger for the operator, and refuses anyone else', async () => {
        const carrier = await FakeCarrier.start((req) => req.path === '/held-numbers'
          ? json({ numbers: [{ number: '+16285559001', status: 'active' }], nextPage: null })
          : json({ error: 'not here' }, 404));
        try {
          await ledger.runtime.carriers.store.configureModule('system', 'knm_other', settingsFor('knm_other', carrier.url), { command: 'test' });
          const answer = await ledger.grpc.call('CarrierReconciliations', 'ReconcileCarriers', { module: 'knm_other' }, { key: ledger.systemKey });
          expect(answer.runs).toHaveLength(1);
          const [run] = answer.runs;
          expect(run).toMatchObject({ module: 'knm_other', scope: 'system', status: 'completed', counts: { paid_for_nothing: 1, upstream: 1 } });
          expect(fromStruct(run.report).findings).toEqual([
            { kind: 'paid_for_nothing', number: '+16285559001', module: 'knm_other', ledgerModule: null, ledgerState: 'absent', upstreamState: 'active' },
          ]);
          const again = await ledger.grpc.call('CarrierReconciliations', 'GetCarrierReconciliation', { id: run.id }, { key: ledger.systemKey });
          expect(again).toMatchObject({ id: run.id, status: 'completed', counts: run.counts });
          expect(await failure(ledger.grpc.call('CarrierReconciliations', 'ReconcileCarriers', {}, { key: keys.other })))
            .toMatchObject({ code: status.PERMISSION_DENIED, errorCode: 'unauthorized' });
          expect(await failure(ledger.grpc.call('CarrierReconciliations', 'ReconcileCarriers', { fix: ['everything'] }, { key: ledger.systemKey })))
            .toMatchObject({ code: status.INVALID_ARGUMENT, errorCode: 'validation_failed' });
          expect(await failure(ledger.grpc.call('CarrierReconciliations', 'GetCarrierReconciliation', { id: run.id }, { key: keys.other })))
            .toMatchObject({ code: status.NOT_FOUND });
        } finally {
          await carrier.close();
        }
      });
    });

    describe('tasks', () => {
      const tasks = (who: string) => (method: string, request: object, options: CallOptions = {}) =>
        ledger.grpc.call('Tasks', method, request, { key: key(who), ...options });
      /** Asks GetTask until the task has a final status (the test's own timeout bounds a task that never ends). */
      async function finished({ id, position }: { id: string; position: string }): Promise<any> {
        for (;;) {
          const task = await tasks('system')('GetTask', { id, minPosition: position });
          if (!['pending', 'executing'].includes(task.status)) return task;
          await new Promise((r) => setTimeout(r, 50));
        }
      }

      it('imports a CSV, reports the bad row in the output, and replays a repeated StartTask', async () => {
        const [a, b] = [fresh(), fresh()];
        const csv = `e164,account_id,state,carrier_module\n${a},,,\nnot-a-number,,,\n${b},child,,\n`;
        const started = await tasks('system')('StartTask', { action: 'import', csv }, { idempotencyKey: `import-${a}` });
        expect(started).toMatchObject({ action: 'import', status: 'pending', total: 3 });
        expect(started.position).toMatch(/^\d+:\d+$/);
        expect(await tasks('system')('StartTask', { action: 'import', csv }, { idempotencyKey: `import-${a}` })).toEqual(started);

        expect(await finished(started)).toMatchObject({ id: started.id, status: 'partial', total: 3, processed: 3, succeeded: 2, failed: 1, requester: 'system' });
        const output = await tasks('system')('GetTaskOutput', { id: started.id });
        const rows: string[][] = parse(output.csv);
        expect(rows[0]).toEqual(['e164', 'account_id', 'state', 'carrier_module', 'result', 'error']);
        expect(rows.slice(1).map((r: string[]) => r[4])).toEqual(['success', 'error', 'success']);
        expect(rows[2][5]).toMatch(/^not_reconcilable/);
        expect((await sys('GetNumber', { number: a })).state).toBe('available');
        expect((await sys('GetNumber', { number: b })).assignedTo).toBe('child');
      });

      it('runs a dry run that changes nothing', async () => {
        const n = fresh();
        const started = await tasks('system')('StartTask', { action: 'import', csv: `e164\n${n}\n`, dryRun: true });
        expect(started).toMatchObject({ dryRun: true, total: 1 });
        expect(await finished(started)).toMatchObject({ status: 'success', succeeded: 1, dryRun: true });
        expect(await failure(sys('GetNumber', { number: n }))).toMatchObject({ code: status.NOT_FOUND });
      });

      it('refuses an unknown action, a missing csv, an unknown task and another account\'s task', async () => {
        const head = await appendedSoFar(ledger);
        expect(await failure(tasks('system')('StartTask', { action: 'explode', csv: 'e164\n' })))
          .toMatchObject({ code: status.INVALID_ARGUMENT, errorCode: 'validation_failed' });
        expect(await failure(tasks('system')('StartTask', { action: 'release' })))
          .toMatchObject({ code: status.INVALID_ARGUMENT, errorCode: 'validation_failed' });
        expect(await appendedSoFar(ledger)).toBe(head);
        expect(await failure(tasks('system')('GetTask', { id: '00000000-0000-4000-8000-000000000000' })))
          .toMatchObject({ code: status.NOT_FOUND, errorCode: 'not_found' });
        expect(await failure(tasks('system')('GetTask', { id: '00000000-0000-4000-8000-000000000000', minPosition: 'soon' })))
          .toMatchObject({ code: status.INVALID_ARGUMENT, errorCode: 'validation_failed' });
        // A CSV that was not UTF-8 reaches a gRPC server decoded, its bad bytes as U+FFFD: refused as over HTTP.
        expect(await failure(tasks('system')('StartTask', { action: 'import', csv: 'e164,cnam.inbound\n+16285550990,Caf\uFFFD\n' })))
          .toMatchObject({ code: status.INVALID_ARGUMENT, errorCode: 'validation_failed' });
        expect(await appendedSoFar(ledger)).toBe(head);
        const mine = await tasks('child')('StartTask', { action: 'list' });
        expect(await failure(tasks('other')('GetTaskOutput', { id: mine.id, minPosition: mine.position })))
          .toMatchObject({ code: status.NOT_FOUND, errorCode: 'not_found' });
        expect((await tasks('res')('GetTask', { id: mine.id })).requester).toBe('child');
      });
    });

    describe('streaming history', () => {
      it('streams every event of the number, oldest first, with data and metadata', async () => {
        const n = fresh();
        await sys('AddNumber', { number: n, state: 'available', carrierModule: 'knm_inventory' });
        await numbers('child')('AcquireNumber', { number: n }, { metadata: { 'x-request-id': 'trace-42' } });
        await numbers('child')('ReleaseNumber', { number: n });
        const events = await ledger.grpc.stream('Numbers', 'GetNumberHistory', { number: n }, { key: ledger.systemKey });
        expect(events.map((e) => e.type)).toEqual(['NumberAdded.v1', 'NumberAcquired.v1', 'NumberReleased.v1']);
        expect(events.map((e) => e.revision)).toEqual([0, 1, 2]);
        expect(fromStruct(events[1].data)).toMatchObject({ accountId: 'child' });
        expect(fromStruct(events[1].metadata)).toMatchObject({ actor: 'child', command: 'AcquireNumber', correlationId: 'trace-42' });
        expect(events.every((e) => /^\d+:\d+$/.test(e.position) && !Number.isNaN(Date.parse(e.recordedAt)))).toBe(true);
      });

      it('streams a tenant its history without accounts outside its view, inside the events\' Structs too (SPEC 12)', async () => {
        const n = fresh();
        await sys('AddNumber', { number: n, state: 'available', carrierModule: 'knm_inventory' });
        await sys('ReserveNumber', { number: n, accountId: 'child' });
        await sys('ReserveNumber', { number: n, accountId: 'other' });
        await numbers('other')('ReleaseNumber', { number: n });
        const all = await ledger.grpc.stream('Numbers', 'GetNumberHistory', { number: n }, { key: ledger.systemKey });
        expect(JSON.stringify(all.map((e) => [fromStruct(e.data), fromStruct(e.metadata)]))).toContain('"other"');
        const mine = await ledger.grpc.stream('Numbers', 'GetNumberHistory', { number: n }, { key: keys.child });
        expect(mine.length).toBeGreaterThan(0);
        expect(JSON.stringify(mine.map((e) => [fromStruct(e.data), fromStruct(e.metadata)]))).not.toContain('"other"');
        const http = await ledger.httpGet(`/v1/numbers/${encodeURIComponent(n)}/history`, keys.child);
        expect(http.body.data.map((e: { type: string }) => e.type)).toEqual(mine.map((e) => e.type));
        expect(JSON.stringify(http.body)).not.toContain('"other"');
        expect(http.body.data.some((e: { redacted?: boolean }) => e.redacted === true)).toBe(true);
      });

      it('ends the stream with NOT_FOUND or PERMISSION_DENIED, and sends no event', async () => {
        expect(await failure(ledger.grpc.stream('Numbers', 'GetNumberHistory', { number: fresh() }, { key: keys.res })))
          .toMatchObject({ code: status.NOT_FOUND, errorCode: 'not_found' });
        const n = fresh();
        await numbers('res')('AddNumber', { number: n });
        expect(await failure(ledger.grpc.stream('Numbers', 'GetNumberHistory', { number: n }, { key: keys.other })))
          .toMatchObject({ code: status.PERMISSION_DENIED, errorCode: 'unauthorized' });
      });
    });

    describe('auth', () => {
      it('refuses calls without a key or with an unknown key (UNAUTHENTICATED), streaming ones too', async () => {
        const n = fresh();
        expect(await failure(ledger.grpc.call('Numbers', 'AddNumber', { number: n })))
          .toMatchObject({ code: status.UNAUTHENTICATED, errorCode: 'unauthenticated' });
        expect(await failure(ledger.grpc.call('Numbers', 'GetNumber', { number: n }, { key: 'nlk_not-a-key' })))
          .toMatchObject({ code: status.UNAUTHENTICATED, errorCode: 'unauthenticated' });
        expect(await failure(ledger.grpc.call('Accounts', 'CreateAccount', { name: 'x' }, { metadata: { authorization: 'Basic abc' } })))
          .toMatchObject({ code: status.UNAUTHENTICATED });
        expect(await failure(ledger.grpc.stream('Numbers', 'GetNumberHistory', { number: n })))
          .toMatchObject({ code: status.UNAUTHENTICATED });
        expect(await failure(sys('GetNumber', { number: n }))).toMatchObject({ code: status.NOT_FOUND }); // nothing was created
      });
    });

    describe('error mapping', () => {
      it('INVALID_ARGUMENT for input that is not a number or fails validation, and nothing is written', async () => {
        const head = await appendedSoFar(ledger);
        expect(await failure(sys('AddNumber', { number: 'call-me-maybe' }))).toMatchObject({ code: status.INVALID_ARGUMENT, errorCode: 'not_reconcilable' });
        expect(await failure(sys('AddNumber', { number: fresh(), state: 'bogus' }))).toMatchObject({ code: status.INVALID_ARGUMENT, errorCode: 'validation_failed' });
        expect(await failure(sys('ListNumbers', { limit: 5000 }))).toMatchObject({ code: status.INVALID_ARGUMENT, errorCode: 'validation_failed' });
        expect(await failure(sys('RunCollection', { action: 'explode', numbers: [fresh()] }))).toMatchObject({ code: status.INVALID_ARGUMENT });
        expect(await failure(ledger.grpc.call('Accounts', 'CreateAccount', { name: 'orphan', parentId: 'nobody' }, { key: ledger.systemKey })))
          .toMatchObject({ code: status.INVALID_ARGUMENT, errorCode: 'assign_failure' });
        expect(await appendedSoFar(ledger)).toBe(head);
      });

      it('NOT_FOUND for an unknown number', async () => {
        const r = await failure(sys('GetNumber', { number: fresh() }));
        expect(r).toMatchObject({ code: status.NOT_FOUND, errorCode: 'not_found' });
        expect(r.details).toMatch(/not in the ledger/);
      });

      it('PERMISSION_DENIED when the caller may not act on the number', async () => {
        const n = fresh();
        await sys('AddNumber', { number: n, accountId: 'child' });
        expect(await failure(numbers('other')('ReserveNumber', { number: n, accountId: 'other' })))
          .toMatchObject({ code: status.PERMISSION_DENIED, errorCode: 'unauthorized' });
      });

      it('FAILED_PRECONDITION for a move the state table does not allow', async () => {
        const n = fresh();
        await sys('AddNumber', { number: n, accountId: 'res' });
        expect(await failure(sys('AgeNumber', { number: n }))).toMatchObject({ code: status.FAILED_PRECONDITION, errorCode: 'invalid_state_transition' });
        await sys('ReserveNumber', { number: n, accountId: 'child' });
        expect(await failure(sys('ReserveNumber', { number: n, accountId: 'child' }))).toMatchObject({ code: status.FAILED_PRECONDITION, errorCode: 'no_change_required' });
      });

      it('ALREADY_EXISTS for a number or an account that exists', async () => {
        const n = fresh();
        await sys('AddNumber', { number: n, accountId: 'res' });
        expect(await failure(sys('AddNumber', { number: n }))).toMatchObject({ code: status.ALREADY_EXISTS, errorCode: 'number_exists' });
        expect(await failure(ledger.grpc.call('Accounts', 'CreateAccount', { id: 'res', name: 'again' }, { key: ledger.systemKey })))
          .toMatchObject({ code: status.ALREADY_EXISTS, errorCode: 'account_exists' });
      });

      it('ABORTED when concurrent changes keep winning the race', async () => {
        const n = fresh();
        await sys('AddNumber', { number: n, state: 'available' });
        const refused = await whileAppendsLoseTheRace(ledger.runtime.stores.events, `number-${n}`, () =>
          failure(numbers('child')('AcquireNumber', { number: n })));
        expect(refused).toMatchObject({ code: status.ABORTED, errorCode: 'concurrency_conflict' });
        expect((await sys('GetNumber', { number: n })).state).toBe('available');
      });

      it('NOT_FOUND for ids that name nothing, INVALID_ARGUMENT for malformed paging, UNIMPLEMENTED for an rpc the server does not know', async () => {
        for (const [service, method] of [['Tasks', 'GetTask'], ['Tasks', 'GetTaskOutput'], ['Audits', 'GetAudit']] as const) {
          expect(await failure(ledger.grpc.call(service, method, { id: 'nope' }, { key: ledger.systemKey })))
            .toMatchObject({ code: status.NOT_FOUND, errorCode: 'not_found' });
        }
        expect(await failure(ledger.grpc.call('Services', 'ListServices', { accountId: 'child', limit: 0 }, { key: ledger.systemKey })))
          .toMatchObject({ code: status.INVALID_ARGUMENT, errorCode: 'validation_failed' });
        expect(await failure(ledger.grpc.call('Services', 'ListServices', { accountId: 'nobody' }, { key: ledger.systemKey })))
          .toMatchObject({ code: status.NOT_FOUND, errorCode: 'not_found' });
        const raw = new Client(ledger.address, credentials.createInsecure());
        const unknownRpc = new Promise((resolve, reject) => raw.makeUnaryRequest(
          '/numbers.ledger.v1.Tasks/CancelTask', (b: Buffer) => b, (b: Buffer) => b, Buffer.alloc(0), new Metadata(),
          (err, reply) => (err ? reject(err) : resolve(reply)),
        ));
        try {
          expect(await failure(unknownRpc)).toMatchObject({ code: status.UNIMPLEMENTED });
        } finally {
          raw.close();
        }
      });
    });

    describe('health', () => {
      it('answers grpc.health.v1 for the server and its services, NOT_FOUND for others', async () => {
        expect(await ledger.grpc.call('Health', 'Check', { service: '' })).toEqual({ status: 'SERVING' });
        expect(await ledger.grpc.call('Health', 'Check', { service: 'numbers.ledger.v1.Numbers' })).toEqual({ status: 'SERVING' });
        expect(await failure(ledger.grpc.call('Health', 'Check', { service: 'nope.Nope' }))).toMatchObject({ code: status.NOT_FOUND });
      });
    });

    describe('reflection', () => {
      it('lists the ledger services to reflection clients such as grpcurl', async () => {
        expect(await listServicesByReflection(ledger.address)).toEqual(
          expect.arrayContaining(['numbers.ledger.v1.Numbers', 'numbers.ledger.v1.Accounts', 'grpc.health.v1.Health']),
        );
      });

      it('describes a service and its messages (google.protobuf.Struct included) to a client with no proto files', async () => {
        const methods = await reflectionClient(ledger.address).listMethods('numbers.ledger.v1.Numbers');
        expect(methods.map((m) => m.name)).toEqual(expect.arrayContaining(['GetNumber', 'AcquireNumber']));
        const descriptor = await reflectionClient(ledger.address).getDescriptorBySymbol('numbers.ledger.v1.Numbers');
        expect(descriptor.getProtobufJsRoot().lookupType('google.protobuf.Struct').fullName).toBe('.google.protobuf.Struct');
        // as grpcurl links them: every referenced type is declared in the file or one it imports
        expect(await unresolvedReferences(ledger.address, 'numbers.ledger.v1.Numbers')).toEqual([]);
        expect(await unresolvedReferences(ledger.address, 'grpc.health.v1.Health')).toEqual([]);
      });

      it('calls an rpc through a client built from the reflected descriptors alone', async () => {
        const account = await callByReflection(ledger.address, 'numbers.ledger.v1.Accounts', 'GetAccount', { id: 'child' }, keys.res);
        expect(account).toMatchObject({ id: 'child', parentId: 'res' });
      });
    });
  });
}

/** Changes whenever anything is appended (the safe head of the log may lag while other sessions hold the horizon). */
async function appendedSoFar(ledger: GrpcLedger): Promise<string> {
  const r = await ledger.runtime.stores.sql.query('SELECT count(*)::text AS n FROM ledger_events');
  return r.rows[0].n;
}
