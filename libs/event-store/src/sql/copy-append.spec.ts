import { randomUUID } from 'node:crypto';
import { PgliteSqlClient, SqlClient } from '@ledger/sql';
import { createScratchDatabase, testDatabaseUrl } from '@ledger/sql/test/test-database';
import { numberEvent, numberEvents } from '@ledger/event-store/test/contract/contract-events';
import { DuplicateEventIdError, StreamAppend } from '../port';
import { SqlEventStore } from '../sql-event-store';
import { readAllVisible } from '@ledger/event-store/test/contract/read-visible';

/** Streams in one call: enough for the default COPY path of appendMany. */
const MANY = 300;

function describeCopyAppend(name: string, open: () => Promise<{ sql: SqlClient; drop: () => Promise<void> }>, server: boolean): void {
  describe(`appendMany by COPY (${name})`, () => {
    let sql: SqlClient;
    let drop: () => Promise<void>;
    let store: SqlEventStore;
    let run: string;

    beforeAll(async () => {
      ({ sql, drop } = await open());
      store = new SqlEventStore(sql);
      await store.init();
    });

    afterAll(async () => {
      await store.close();
      await drop();
    });

    beforeEach(() => (run = randomUUID().slice(0, 8)));

    const fresh = (i: number, count = 1): StreamAppend => ({ streamId: `copy-${run}-${i}`, events: numberEvents(count, `${i}-`), expected: 'no_stream' });

    it('writes hundreds of new and existing streams in the order given, each at its own revision and position', async () => {
      const existing = Array.from({ length: 40 }, (_, i) => fresh(i, 2));
      await store.appendMany(existing);
      const from = await store.headPosition();
      const appends = Array.from({ length: MANY }, (_, i) =>
        i < existing.length ? { streamId: existing[i].streamId, events: numberEvents(1 + (i % 3)), expected: 1 } : fresh(i, 1 + (i % 2)));

      const result = await store.appendMany(appends);

      expect(result.conflicts).toEqual(new Set());
      const ids = appends.flatMap((a) => a.events.map((e) => e.id));
      const log = await readAllVisible(store, from, 10_000, ids.length, { streamPrefixes: [`copy-${run}-`] });
      expect(log.map((e) => e.id)).toEqual(ids);
      for (const a of appends) {
        const read = await store.readStream(a.streamId);
        expect(read.slice(-a.events.length).map((e) => e.revision)).toEqual(a.events.map((_, k) => read.length - a.events.length + k));
        expect(result.appended.get(a.streamId)).toEqual({ nextRevision: read.length - 1, position: read[read.length - 1].position });
      }
    });

    it('stores ids, types, payloads and metadata with tabs, line breaks and backslashes exactly', async () => {
      const odd = 'tab\there\nline\r\nback\\slash \\N \\. "quoted" ünï 😀';
      const event = { ...numberEvent(odd, { nested: { odd, list: [odd, null, 1.5] } }), type: `Odd\\Type\t${run}.v1`, metadata: { actor: odd, taskId: odd } };
      const streamId = `copy-${run}-${odd}`;

      await store.appendMany([{ streamId, events: [event], expected: 'no_stream' }, ...Array.from({ length: MANY }, (_, i) => fresh(i))]);

      const [read] = await store.readStream(streamId);
      expect({ streamId: read.streamId, id: read.id, type: read.type, data: read.data, metadata: read.metadata }).toEqual({ streamId, ...event });
    });

    it('reports streams whose guard fails as conflicts and counts a retry of stored events as appended', async () => {
      const first = Array.from({ length: MANY }, (_, i) => fresh(i));
      const done = await store.appendMany(first);
      const moved = { streamId: first[1].streamId, events: numberEvents(1), expected: 'no_stream' as const };
      const missing = { streamId: `copy-${run}-missing`, events: numberEvents(1), expected: 3 };

      const again = await store.appendMany([first[0], moved, missing, ...Array.from({ length: MANY }, (_, i) => fresh(MANY + i))]);

      expect(again.conflicts).toEqual(new Set([moved.streamId, missing.streamId]));
      expect(again.appended.get(first[0].streamId)).toEqual(done.appended.get(first[0].streamId));
      expect(again.appended.size).toBe(MANY + 1);
      expect(await store.readStream(moved.streamId)).toHaveLength(1);
      expect(await store.readStream(missing.streamId)).toEqual([]);
    });

    it('lets exactly one of two racing calls claim each stream', async () => {
      const streams = Array.from({ length: MANY }, (_, i) => fresh(i).streamId);
      const call = (label: string) => store.appendMany(streams.map((streamId) => ({ streamId, events: numberEvents(1, label), expected: 'no_stream' as const })));

      const [a, b] = await Promise.all([call('a'), call('b')]);

      for (const streamId of streams) {
        expect(a.appended.has(streamId) !== b.appended.has(streamId)).toBe(true);
        expect(a.conflicts.has(streamId)).toBe(b.appended.has(streamId));
        const [read, ...more] = await store.readStream(streamId);
        expect(more).toEqual([]);
        expect(read.position).toBe((a.appended.get(streamId) ?? b.appended.get(streamId))!.position);
      }
    });

    it('throws DuplicateEventIdError for an event id stored in another stream, and writes nothing to that stream', async () => {
      const [stored] = numberEvents(1);
      await store.append(`copy-${run}-holder`, [stored], 'no_stream');
      const thief = { streamId: `copy-${run}-thief`, events: [stored], expected: 'no_stream' as const };

      await expect(store.appendMany([...Array.from({ length: MANY }, (_, i) => fresh(i)), thief])).rejects.toBeInstanceOf(DuplicateEventIdError);

      expect(await store.readStream(thief.streamId)).toEqual([]);
    });

    if (server) {
      it('answers each stream\'s position when other writers took sequence numbers in between', async () => {
        // Every other sequence number skipped: as if another writer had taken it meanwhile.
        await sql.query('ALTER TABLE ledger_events ALTER COLUMN sequence SET INCREMENT BY 2');
        try {
          const appends = Array.from({ length: MANY }, (_, i) => fresh(i, 1 + (i % 2)));
          const result = await store.appendMany(appends);
          for (const a of appends) {
            const read = await store.readStream(a.streamId);
            expect(result.appended.get(a.streamId)?.position).toBe(read[read.length - 1].position);
          }
        } finally {
          await sql.query('ALTER TABLE ledger_events ALTER COLUMN sequence SET INCREMENT BY 1');
        }
      });
    }
  });
}

describeCopyAppend('PGlite', async () => {
  const sql = await PgliteSqlClient.open();
  return { sql, drop: () => sql.close() };
}, false);

if (testDatabaseUrl) {
  describeCopyAppend('PostgreSQL', async () => {
    const db = await createScratchDatabase('evcopy');
    return { sql: db.client, drop: () => db.drop() };
  }, true);
}
