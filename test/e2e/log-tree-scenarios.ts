import { createHash, createPublicKey, verify } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import canonicalize from 'canonicalize';
import { runCli } from '../../apps/ledger-cli/src/cli';
import { CliIo, silentProgress } from '../../apps/ledger-cli/src/cli-io';
import { LedgerSession } from '../../apps/ledger-cli/src/ledger-session';
import { checkpoint, prove, verifyLog } from '../../apps/ledger-cli/src/commands/verifiable-log';
import { rebuildProjections } from '../../apps/ledger-cli/src/commands/maintenance';
import { LogTreeProjection } from '../../apps/ledger/src/log/log-tree.projection';
import { LogTreeStore } from '../../apps/ledger/src/log/log-tree.store';
import { RecordedEvent, START } from '@ledger/event-store/port';
import { startEsdbTestServer } from '@ledger/event-store/test/esdb-test-server';
import { assembleProof, planConsistency, planInclusion, verifyBundle, verifyConsistency, verifyInclusion } from '@ledger/log-tree';
import { readNodes } from '../../apps/ledger/src/log/log-tree-reads';
import { LEDGER_STREAM_PREFIXES } from '@ledger/projections/projection';
import { createScratchDatabase, ScratchDatabase } from '@ledger/sql/test/test-database';
import { hex, ReferenceTree } from '../support/rfc6962-reference';
import { testSettings } from '../support/ledger-harness';
import { LedgerHome, RunningLedger, startService } from './tasks-harness';
import { Projector } from '@ledger/projections/projector';
import { VerifiableLog } from '../../apps/ledger/src/log/verifiable-log';

export type LogStoreKind = 'pglite' | 'postgres' | 'esdb';

/** The entry of docs/verifiable-history.md, written from the documentation, not from the service's code. */
function documentedEntry(e: RecordedEvent): Buffer {
  return Buffer.from(canonicalize({
    stream: e.streamId, revision: e.revision, eventId: e.id, type: e.type, data: e.data, metadata: e.metadata,
    recordedAt: e.recordedAt.toISOString(), position: e.position,
  })!, 'utf8');
}

const b64 = (hashes: string[]) => hashes.map((h) => Buffer.from(h, 'base64'));

export function describeLogTree(kind: LogStoreKind): void {
  describe(`verifiable history: log tree, checkpoints, proofs (${kind})`, () => {
    jest.setTimeout(180_000); // restarts of the embedded store are slow on a busy machine; nothing here waits on a clock
    let home: LedgerHome & { env: NodeJS.ProcessEnv };
    let ledger: RunningLedger | null = null;
    let scratch: ScratchDatabase | null = null;
    let esdb: Awaited<ReturnType<typeof startEsdbTestServer>> | null = null;
    let acmeKey = '';
    let otherKey = '';
    const numbers = Array.from({ length: 6 }, (_, i) => `+1415555${String(7100 + i)}`);

    const call = (...args: Parameters<RunningLedger['call']>) => ledger!.call(...args);
    const cli = async (...argv: string[]) => {
      const out: string[] = [];
      const io: CliIo = { out: (l) => out.push(l), err: () => undefined, progress: () => silentProgress };
      const code = await runCli(argv, io, home.env);
      return { code, out: out.join('\n') };
    };
    const inSession = async (work: (s: LedgerSession, io: CliIo, out: string[]) => Promise<void>) => {
      const out: string[] = [];
      const io: CliIo = { out: (l) => out.push(l), err: () => undefined, progress: () => silentProgress };
      const session = await LedgerSession.open(home.env, () => undefined);
      try {
        await work(session, io, out);
      } finally {
        await session.close();
      }
    };
    const stopped = async <T>(work: () => Promise<T>): Promise<T> => {
      await ledger?.stop();
      ledger = null;
      try {
        return await work();
      } finally {
        ledger = await startService(home);
      }
    };
    const allEvents = async (): Promise<RecordedEvent[]> => {
      const events: RecordedEvent[] = [];
      for (;;) {
        const batch = await ledger!.runtime.stores.events.readAll(events.at(-1)?.position ?? START, 1000, { streamPrefixes: LEDGER_STREAM_PREFIXES });
        if (batch.length === 0) return events;
        events.push(...batch);
      }
    };
    const settle = async () => {
      // everything committed so far, however long other sessions on the server hold the readable horizon back
      if (!(await ledger!.runtime.projector.reachHead())) throw new Error('projector stopped');
    };
    const addNumbers = async (list: string[]) => {
      for (const n of list) {
        expect((await call('POST', '/v1/numbers', { body: { number: n, state: 'available', carrierModule: 'knm_inventory' } })).status).toBe(201);
        const acquired = await call('POST', `/v1/numbers/${n}/acquire`, { key: acmeKey, body: {} });
        expect([acquired.status, acquired.body]).toEqual([200, expect.anything()]);
      }
      await settle();
    };

    beforeAll(async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'ledger-log-'));
      if (kind !== 'pglite') {
        scratch = await createScratchDatabase('ledger_log');
        await scratch.client.close();
      }
      if (kind === 'esdb') esdb = await startEsdbTestServer();
      const settings = { ...testSettings(dataDir, scratch?.url ?? null), eventstoreUrl: esdb?.url ?? null, logOrigin: 'ledger.test/log' };
      const env: NodeJS.ProcessEnv = { LEDGER_DATA_DIR: dataDir, LEDGER_SYSTEM_KEY: settings.systemKey!, LEDGER_LOG_ORIGIN: 'ledger.test/log' };
      if (scratch) env.DATABASE_URL = scratch.url;
      if (esdb) env.EVENTSTORE_URL = esdb.url;
      home = {
        dataDir, databaseUrl: settings.databaseUrl, settings, env,
        async remove() {
          await scratch?.drop();
          await esdb?.stop();
          rmSync(dataDir, { recursive: true, force: true });
        },
      };
      ledger = await startService(home);
      for (const id of ['acme', 'other']) {
        expect((await call('POST', '/v1/accounts', { body: { id, name: id } })).status).toBe(201);
      }
      acmeKey = (await call('POST', '/v1/accounts/acme/keys', { body: {} })).body.key;
      otherKey = (await call('POST', '/v1/accounts/other/keys', { body: {} })).body.key;
      await settle(); // the accounts read model knows acme before acme acts
      await addNumbers(numbers);
    }, 180_000);

    afterAll(async () => {
      await ledger?.stop();
      await home?.remove();
    });

    // EventStoreDB keeps its tree in the same PostgreSQL as the postgres suite: tested there
    (kind === 'esdb' ? it.skip : it)('stores a tree whose proofs equal RFC 6962 PATH and PROOF for every size 1..1000', async () => {
      const sql = ledger!.runtime.stores.sql;
      const schema = `log_synthetic_${kind}`;
      const projection = new LogTreeProjection();
      await sql.exec(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
      await sql.exec(projection.ddl(schema));
      const events: RecordedEvent[] = Array.from({ length: 1000 }, (_, i) => ({
        streamId: `number-+1${i}`, revision: 0, position: `${i + 1}:0`, id: `e-${i}`, type: 'Synthetic.v1',
        data: { i }, metadata: {}, recordedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)),
      }));
      // batches of growing length cross every kind of boundary
      for (let at = 0, len = 1; at < events.length; at += len, len++) {
        const batch = events.slice(at, at + len);
        await sql.transaction((tx) => projection.apply(tx, batch, schema));
      }
      const reference = new ReferenceTree(events.map((e) => ReferenceTree.leafHash(documentedEntry(e))));
      const store = new LogTreeStore(sql, schema);
      expect((await store.head()).rootHash.equals(reference.mth(0, 1000))).toBe(true);
      // the stored nodes for 50 sizes per read (the store's own methods are exercised over HTTP below)
      for (let chunk = 1; chunk <= 1000; chunk += 50) {
        const sizes = Array.from({ length: 50 }, (_, i) => chunk + i);
        const plans = sizes.map((n) => {
          const m = (n * 7919) % n;
          const from = 1 + ((n * 31) % n);
          return { n, m, from, inclusion: planInclusion(m, n), last: planInclusion(n - 1, n), consistency: planConsistency(from, n) };
        });
        const stored = await readNodes(sql, schema, plans.flatMap((p) => [...p.inclusion.nodes, ...p.last.nodes, ...p.consistency.nodes]));
        for (const { n, m, from, inclusion, last, consistency } of plans) {
          expect(hex(assembleProof(inclusion, stored))).toBe(hex(reference.path(m, 0, n)));
          expect(hex(assembleProof(last, stored))).toBe(hex(reference.path(n - 1, 0, n)));
          expect(hex(assembleProof(consistency, stored))).toBe(hex(reference.proof(from, 0, n, true)));
        }
      }
      expect(hex(await store.inclusionProof(500, 1000))).toBe(hex(reference.path(500, 0, 1000)));
      expect(hex(await store.consistencyProof(333, 1000))).toBe(hex(reference.proof(333, 0, 1000, true)));
      await sql.exec(`DROP SCHEMA ${schema} CASCADE`);
    });

    it('has one leaf per event in log order; HTTP inclusion and consistency proofs match the reference', async () => {
      const events = await allEvents();
      const reference = new ReferenceTree(events.map((e) => ReferenceTree.leafHash(documentedEntry(e))));
      const n = events.length;
      const signed = await call('POST', '/v1/log/checkpoints', { body: {} });
      expect(signed.status).toBe(201);
      expect(signed.body).toMatchObject({ treeSize: n, rootHash: reference.mth(0, n).toString('base64') });
      for (const [m, e] of events.entries()) {
        const r = await call('GET', `/v1/log/proofs/inclusion?position=${e.position}&treeSize=${n}`);
        expect(r.body.leafIndex).toBe(m);
        expect(hex(b64(r.body.inclusionProof))).toBe(hex(reference.path(m, 0, n)));
      }
      for (const from of [1, 2, Math.floor(n / 2), n - 1, n]) {
        const r = await call('GET', `/v1/log/proofs/consistency?from=${from}&to=${n}`, { key: otherKey });
        expect(r.status).toBe(200);
        expect(hex(b64(r.body.consistencyProof))).toBe(hex(reference.proof(from, 0, n, true)));
      }
    });

    it('gives no proof of an event shown without an account outside the caller\'s view (its leaf would let guesses be tested)', async () => {
      const n = '+14155557150';
      expect((await call('POST', '/v1/numbers', { body: { number: n, state: 'available', carrierModule: 'knm_inventory' } })).status).toBe(201);
      expect((await call('POST', `/v1/numbers/${n}/reserve`, { body: { accountId: 'acme' } })).status).toBe(200);
      expect((await call('POST', `/v1/numbers/${n}/reserve`, { body: { accountId: 'other' } })).status).toBe(200);
      expect((await call('POST', `/v1/numbers/${n}/release`, { key: otherKey, body: {} })).status).toBe(200);
      await settle();
      const size = (await ledger!.runtime.log.store.head()).size;
      const r = await call('GET', `/v1/numbers/${n}/history?proofs=${size}`, { key: acmeKey });
      expect(r.status).toBe(200);
      const redacted = r.body.data.filter((e: { redacted?: boolean }) => e.redacted === true);
      expect(redacted.length).toBeGreaterThan(0);
      expect(redacted.map((e: { log: unknown }) => e.log)).toEqual(redacted.map(() => null));
      expect(r.body.data.filter((e: { redacted?: boolean; log: unknown }) => !e.redacted && e.log === null)).toEqual([]);
      expect(JSON.stringify(r.body)).not.toContain('"other"');
    });

    it('signs checkpoints that verify with plain crypto.verify on the documented key formats', async () => {
      const note = await call('GET', '/v1/log/checkpoint', { key: otherKey });
      expect(note.status).toBe(200);
      expect(note.headers.get('content-type')).toMatch(/^text\/plain/);
      const key = await call('GET', '/v1/log/public-key');
      expect(key.status).toBe(200);
      const [, name, keyIdHex, keyB64] = /^([^+]+)\+([0-9a-f]{8})\+(.+)$/.exec(key.body.verifierKey)!;
      expect(name).toBe('ledger.test/log');
      const raw = Buffer.from(keyB64, 'base64');
      expect(raw[0]).toBe(0x01);
      const body = note.body.slice(0, note.body.indexOf('\n\n') + 1);
      expect(body.split('\n').slice(0, 3)).toEqual(['ledger.test/log', expect.stringMatching(/^\d+$/), expect.stringMatching(/=$/)]);
      const [dash, signer, sig] = note.body.slice(body.length + 1).trimEnd().split(' ');
      expect([dash, signer]).toEqual(['\u2014', name]);
      const blob = Buffer.from(sig, 'base64');
      const keyId = createHash('sha256').update(name).update(Buffer.of(0x0a)).update(raw).digest().subarray(0, 4);
      expect(blob.subarray(0, 4).toString('hex')).toBe(keyIdHex);
      expect(keyId.toString('hex')).toBe(keyIdHex);
      const fromVkey = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.subarray(1).toString('base64url') }, format: 'jwk' });
      expect(verify(null, Buffer.from(body), fromVkey, blob.subarray(4))).toBe(true);
      expect(verify(null, Buffer.from(body), createPublicKey(key.body.publicKeyPem), blob.subarray(4))).toBe(true);
      expect(verify(null, Buffer.from(body.replace('\n', 'x\n')), fromVkey, blob.subarray(4))).toBe(false);
    });

    it('answers history?proofs= with a verifiable proof per visible event, under the history access rules', async () => {
      const cp = (await call('GET', '/v1/log/checkpoints?limit=1')).body.data[0];
      const r = await call('GET', `/v1/numbers/${numbers[0]}/history?proofs=${cp.treeSize}`, { key: acmeKey });
      expect(r.status).toBe(200);
      expect(r.body.log).toMatchObject({ treeSize: cp.treeSize, rootHash: cp.rootHash, checkpoint: cp.note });
      const root = Buffer.from(r.body.log.rootHash, 'base64');
      expect(r.body.data.length).toBeGreaterThan(0);
      for (const e of r.body.data) {
        const leaf = ReferenceTree.leafHash(documentedEntry({
          streamId: `number-${numbers[0]}`, revision: e.revision, position: e.position, id: e.id, type: e.type,
          data: e.data, metadata: e.metadata, recordedAt: new Date(e.recordedAt),
        }));
        expect(verifyInclusion(e.log.leafIndex, cp.treeSize, leaf, b64(e.log.inclusionProof), root)).toBe(true);
      }
      expect((await call('GET', `/v1/numbers/${numbers[0]}/history?proofs=${cp.treeSize}`, { key: otherKey })).status).toBe(403);
      expect((await call('GET', `/v1/numbers/${numbers[0]}/history`, { key: acmeKey })).body.data[0].log).toBeUndefined();
    });

    it('refuses hostile or out-of-range proof requests with 4xx problems, and proofs by position to non-admins', async () => {
      const size = (await ledger!.runtime.log.store.head()).size;
      const bad = [
        [`/v1/log/proofs/inclusion?position=1:1&treeSize=abc`, 400], [`/v1/log/proofs/inclusion?position=nope&treeSize=1`, 400],
        [`/v1/log/proofs/inclusion?position=999999:1&treeSize=1`, 404], [`/v1/log/proofs/consistency?from=0&to=1`, 400],
        [`/v1/log/proofs/consistency?from=2&to=1`, 400], [`/v1/log/proofs/consistency?from=1&to=${size + 1}`, 400],
        [`/v1/numbers/${numbers[0]}/history?proofs=${size + 1}`, 400], [`/v1/log/checkpoints?limit=-1`, 400],
      ] as const;
      for (const [path, status] of bad) {
        const r = await call('GET', path);
        expect([path, r.status]).toEqual([path, status]);
        expect(r.headers.get('content-type')).toMatch(/problem\+json/);
      }
      expect((await call('GET', `/v1/log/proofs/inclusion?position=1:1&treeSize=1`, { key: acmeKey })).status).toBe(403);
      expect((await call('POST', '/v1/log/checkpoints', { key: acmeKey, body: {} })).status).toBe(403);
    });

    it('keeps checkpoints consistent across a restart and a projection rebuild', async () => {
      const first = (await call('POST', '/v1/log/checkpoints', { body: {} })).body;
      await addNumbers(['+14155557200']);
      const second = (await call('POST', '/v1/log/checkpoints', { body: {} })).body;
      expect(second.treeSize).toBeGreaterThan(first.treeSize);
      await stopped(async () => undefined); // restart
      await addNumbers(['+14155557201']);
      const third = (await call('POST', '/v1/log/checkpoints', { body: {} })).body;
      expect(third.treeSize).toBeGreaterThan(second.treeSize);
      await stopped(() => inSession(async (session, io, out) => {
        await session.get(Projector).reset();
        await expect(session.get(VerifiableLog).signer.signNow()).rejects.toThrow(/fewer than the last checkpoint/);
        expect(await rebuildProjections(session, io)).toBe(0);
        expect(await verifyLog(session, io)).toBe(0);
        // Every kept checkpoint (first, second, third and any an earlier test had signed) is checked.
        const [, checked] = /^log verifies: \d+ events, tree of \d+, (\d+) checkpoints consistent$/.exec(out.at(-1) ?? '') ?? [];
        const kept = await session.get(VerifiableLog).store.checkpoints({ limit: 1000 });
        expect(kept.map((c) => c.treeSize)).toEqual(expect.arrayContaining([first.treeSize, second.treeSize, third.treeSize]));
        expect(Number(checked)).toBe(kept.length);
      }));
      await settle();
      for (const c of [first, second, third]) {
        expect((await ledger!.runtime.log.store.rootAt(c.treeSize)).toString('base64')).toBe(c.rootHash);
      }
      const listed = (await call('GET', '/v1/log/checkpoints')).body.data.map((c: any) => c.treeSize);
      expect(listed).toEqual(expect.arrayContaining([first.treeSize, second.treeSize, third.treeSize]));
      const proof = (await call('GET', `/v1/log/proofs/consistency?from=${first.treeSize}&to=${third.treeSize}`)).body;
      const root = (c: { rootHash: string }) => Buffer.from(c.rootHash, 'base64');
      expect(verifyConsistency(first.treeSize, third.treeSize, root(first), root(third), b64(proof.consistencyProof))).toBe(true);
      expect((await call('POST', '/v1/log/checkpoints', { body: {} })).body).toMatchObject({ treeSize: third.treeSize, rootHash: third.rootHash });
    });

    it('proves a number into a bundle that verifies offline and fails after any byte changes', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'ledger-bundle-'));
      const file = join(dir, 'bundle.json');
      const vkey = (await call('GET', '/v1/log/public-key')).body.verifierKey;
      const pem = (await call('GET', '/v1/log/public-key')).body.publicKeyPem;
      writeFileSync(join(dir, 'key.pem'), pem);
      await stopped(() => inSession(async (session, io, out) => {
        expect(await checkpoint(session, io)).toBe(0);
        expect(out.join('\n')).toMatch(/^ledger\.test\/log\n\d+\n/);
        expect(await prove(session, io, numbers[1], { output: file })).toBe(0);
      }));
      const good = readFileSync(file);
      const verifyWith = async (bytes: Buffer, key: string) => {
        writeFileSync(file, bytes);
        return (await cli('verify-bundle', file, '--key', key)).code;
      };
      expect(await verifyWith(good, vkey)).toBe(0);
      expect(await verifyWith(good, join(dir, 'key.pem'))).toBe(0);
      const text = good.toString('latin1');
      for (let i = 0; i < good.length; i++) {
        const changed = Buffer.from(good);
        changed[i] ^= 0x01;
        const verdict = verifyBundle(changed.toString('utf8'), vkey);
        if (verdict.ok) throw new Error(`byte ${i} (${JSON.stringify(text[i])}) changed and the bundle still verifies`);
      }
      expect(await verifyWith(Buffer.from(good.toString().replace('"revision":0', '"revision":1')), vkey)).toBe(1);
      rmSync(dir, { recursive: true, force: true });
    });

    (kind === 'esdb' ? it.skip : it)('verify-log reports an edited, a reordered and a deleted event at its position', async () => {
      const leaves = await ledger!.runtime.log.store.leaves(5, 4);
      const [edited, a, b, deleted] = leaves.map((l) => l.position);
      const at = (p: string) => `tx_id = '${p.split(':')[0]}'::xid8 AND sequence = ${p.split(':')[1]}`;
      const first = (out: string) => out.split('\n')[0];
      const original = (await ledger!.runtime.stores.sql.query(`SELECT data::text AS data FROM ledger_events WHERE ${at(edited)}`)).rows[0].data;
      await stopped(() => inSession(async (session, io, out) => {
        const tamper = async (sql: string) => {
          await session.stores.sql.exec(sql);
          out.length = 0;
          const code = await verifyLog(session, io);
          return { code, out: out.join('\n') };
        };
        const rebuild = async () => {
          await session.get(Projector).reset();
          await session.get(Projector).catchUp();
        };

        let r = await tamper(`UPDATE ledger_events SET data = data || '{"tampered": true}' WHERE ${at(edited)}`);
        expect(r.code).toBe(1);
        expect(first(r.out)).toBe(`leaf 5 at position ${edited}: the event stored there no longer matches the tree (changed, removed or moved)`);
        expect(r.out).toMatch(/checkpoint \d+: the events now in the log do not hash to its root/);
        await rebuild(); // a tree rebuilt over the edited log is never signed
        await expect(session.get(VerifiableLog).signer.signNow()).rejects.toThrow(/the history was changed/);
        r = await tamper(`UPDATE ledger_events SET data = '${original.replace(/'/g, "''")}'::jsonb WHERE ${at(edited)}`);
        expect(r.code).toBe(1); // the rebuilt tree holds the edited event now
        await rebuild();
        expect((await tamper('SELECT 1')).code).toBe(0);

        const [ta, sa] = a.split(':');
        const [tb, sb] = b.split(':');
        const swap = `ALTER TABLE ledger_events ALTER COLUMN sequence SET GENERATED BY DEFAULT;
          UPDATE ledger_events SET sequence = -1 WHERE ${at(a)};
          UPDATE ledger_events SET tx_id = '${ta}'::xid8, sequence = ${sa} WHERE ${at(b)};
          UPDATE ledger_events SET tx_id = '${tb}'::xid8, sequence = ${sb} WHERE tx_id = '${ta}'::xid8 AND sequence = -1`;
        r = await tamper(swap);
        expect(r.code).toBe(1);
        expect(first(r.out)).toMatch(new RegExp(`^leaf 6 at position ${a}: `));
        expect((await tamper(swap)).code).toBe(0);

        r = await tamper(`DELETE FROM ledger_events WHERE ${at(deleted)}`);
        expect(r.code).toBe(1);
        expect(first(r.out)).toMatch(new RegExp(`^leaf 8 at position ${deleted}: `));
      }));
    });
  });
}
