/**
 * A batch that starts hundreds of number streams (a rebuild, an import) writes those numbers'
 * rows, and billing's new running totals, by COPY; the read models must be exactly what the
 * statement path writes for the same batches, whatever the values hold (tabs, newlines,
 * backslashes, quotes, NUL-free Unicode). Two batches: the second goes on from the first's
 * running totals and meets numbers the first started.
 */
import { randomUUID } from 'node:crypto';
import { decide, defaultConfig, evolve, foldNumber, InMemoryAccountDirectory, numberStreamId, type NumberCommand, type NumberRecord } from '@ledger/domain';
import { ACCOUNTS } from '@ledger/domain/test/fixture';
import { RecordedEvent } from '@ledger/event-store/port';
import { PgliteSqlClient, SqlExecutor } from '@ledger/sql';
import { BillingProjection, InventoryProjection } from '.';
import { COPY_FROM_ROWS } from './sql-columns';

const NUMBERS = 2 * COPY_FROM_ROWS + 100;
const ODD_TEXT = 'tab\there, new\nline, back\\slash, "quoted", \r, \\N, é 🙂';
const T0 = Date.parse('2026-01-01T00:00:00Z');

/** Number i's commands: added in a state by i % 5 (local for some: cnam is not theirs), then for some a second or third command in the same batch. */
function commandsOf(i: number): NumberCommand[] {
  const add = (state: 'available' | 'in_service' | 'reserved' | 'aging', accountId?: string): NumberCommand =>
    ({ type: 'AddNumber', state, accountId, carrierModule: i % 2 || i % 5 === 1 ? 'knm_inventory' : 'knm_local' });
  switch (i % 5) {
    case 0: return [add('available')];
    case 1: return [add('in_service', 'child'), { type: 'SetFeatures', changes: { cnam: { display_name: `${ODD_TEXT} ${i}` } } }];
    case 2: return [add('available'), { type: 'AcquireNumber', accountId: 'child' }, { type: 'ReleaseNumber' }];
    case 3: return [add('reserved', 'child')];
    default: return [add('aging')];
  }
}

/** One batch of events for NUMBERS numbers, as the log would hold them. */
function batch(): RecordedEvent[] {
  const directory = new InMemoryAccountDirectory(ACCOUNTS);
  const events: RecordedEvent[] = [];
  for (let i = 0; i < NUMBERS; i++) {
    const number = `+1415${String(2_000_000 + i).padStart(7, '0')}`;
    let record: NumberRecord = foldNumber(number, []);
    for (const command of commandsOf(i)) {
      const now = new Date(T0 + events.length * 7);
      const ctx = { now, requester: { accountId: 'system', isSystem: true }, accounts: directory, config: defaultConfig() };
      for (const { type, ...data } of decide(number, command, record, ctx)) {
        events.push({
          streamId: numberStreamId(number), revision: record.version, position: `1:${events.length + 1}`, id: randomUUID(), type, data,
          metadata: { actor: 'system', command: command.type }, recordedAt: now,
        });
        record = evolve(record, { type, ...data } as Parameters<typeof evolve>[1]);
      }
    }
  }
  return events;
}

describe('numbers new to the read models go by COPY, with the same rows as the statement path', () => {
  let sql: PgliteSqlClient;
  const projections = [new InventoryProjection(), new BillingProjection()];

  beforeAll(async () => {
    sql = await PgliteSqlClient.open();
    for (const schema of ['by_copy', 'by_statement']) {
      await sql.exec(`CREATE SCHEMA ${schema}`);
      for (const p of projections) await sql.exec(p.ddl(schema));
    }
  }, 120_000);

  afterAll(() => sql?.close());

  it('inventory, billing_numbers, billing_intervals and billing_deltas are row for row the same', async () => {
    const events = batch();
    const batches = [events.slice(0, Math.floor(events.length / 2)), events.slice(Math.floor(events.length / 2))];
    const copied: string[] = [];
    for (const part of batches) {
      await sql.transaction(async (tx) => {
        const counting: SqlExecutor = {
          query: (q, p) => tx.query(q, p),
          copyFrom: (table, columns, rows) => {
            copied.push(table);
            return tx.copyFrom!(table, columns, rows);
          },
        };
        for (const p of projections) await p.apply(counting, part, 'by_copy');
      });
      await sql.transaction(async (tx) => {
        const noCopy: SqlExecutor = { query: (q, p) => tx.query(q, p) };
        for (const p of projections) await p.apply(noCopy, part, 'by_statement');
      });
    }
    const tables = ['by_copy.inventory', 'by_copy.billing_numbers', 'by_copy.billing_intervals', 'by_copy.billing_deltas'];
    expect(copied).toEqual([...tables, ...tables]);
    const totals = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM by_copy.billing_deltas WHERE total > delta`);
    expect(totals.rows[0].n).toBeGreaterThan(0); // not vacuous: the totals run on
    for (const { name, key } of projections.flatMap((p) => p.tables)) {
      const rows = async (schema: string) => (await sql.query<{ row: string }>(`SELECT t::text AS row FROM ${schema}.${name} t ORDER BY ${key}`)).rows.map((r) => r.row);
      const [byCopy, byStatement] = [await rows('by_copy'), await rows('by_statement')];
      expect(byCopy.length).toBeGreaterThan(name === 'billing_deltas' ? 3 : COPY_FROM_ROWS / 2);
      expect(byCopy).toEqual(byStatement);
    }
    const odd = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM by_copy.inventory WHERE starts_with(features->'cnam'->>'display_name', $1)`, [ODD_TEXT]);
    expect(odd.rows[0].n).toBe(NUMBERS / 5);
  }, 120_000);
});
