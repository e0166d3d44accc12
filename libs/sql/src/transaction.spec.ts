/**
 * `SqlClient.transaction` on both databases: all of the work or none of it, whatever its
 * first statement is. (On PostgreSQL, BEGIN rides with a first statement that has no
 * parameters; a BEGIN left out would let that statement commit on its own.)
 */
import { Client } from 'pg';
import { createMemoryDatabase, createScratchDatabase, testDatabaseUrl } from '@ledger/sql/test/test-database';
import { SqlClient, SqlExecutor } from './sql-client';

const firstStatements: Array<[string, (tx: SqlExecutor) => Promise<unknown>]> = [
  ['a statement without parameters', (tx) => tx.query(`INSERT INTO notes (id, body) VALUES (1, 'one')`)],
  ['a statement with parameters', (tx) => tx.query('INSERT INTO notes (id, body) VALUES ($1, $2)', [1, 'one'])],
  ['a named statement', (tx) => tx.query('INSERT INTO notes (id, body) VALUES ($1, $2)', [1, 'one'], 'notes-insert')],
  ['a COPY', (tx) => tx.copyFrom!('notes', ['id', 'body'], '1\tone\n')],
];

function transactionContract(name: string, open: () => Promise<{ sql: SqlClient; close(): Promise<void> }>) {
  describe(`SqlClient.transaction (${name})`, () => {
    let sql: SqlClient;
    let close: () => Promise<void>;

    beforeAll(async () => {
      ({ sql, close } = await open());
    });
    afterAll(() => close());
    beforeEach(() => sql.exec('DROP TABLE IF EXISTS notes; CREATE TABLE notes (id int PRIMARY KEY, body text NOT NULL)'));

    const notes = async () => (await sql.query<{ id: number }>('SELECT id FROM notes ORDER BY id')).rows.map((r) => r.id);

    it.each(firstStatements)('leaves nothing when the work throws after %s', async (_, first) => {
      await expect(sql.transaction(async (tx) => {
        await first(tx);
        await tx.query('INSERT INTO notes (id, body) VALUES (2, $1)', ['two']);
        throw new Error('the work failed');
      })).rejects.toThrow('the work failed');
      expect(await notes()).toEqual([]);
    });

    it.each(firstStatements)('commits all of the work after %s', async (_, first) => {
      await sql.transaction(async (tx) => {
        await first(tx);
        await tx.query('INSERT INTO notes (id, body) VALUES (2, $1)', ['two']);
      });
      expect(await notes()).toEqual([1, 2]);
    });

    it('answers the first statement its own rows, not those of BEGIN', async () => {
      await sql.exec(`INSERT INTO notes (id, body) VALUES (7, 'seven'), (8, 'eight')`);
      const r = await sql.transaction((tx) => tx.query<{ id: number }>('SELECT id FROM notes ORDER BY id FOR UPDATE'));
      expect(r.rows.map((row) => row.id)).toEqual([7, 8]);
      expect(r.rowCount).toBe(2);
    });

    it('rolls back when the first statement fails, and the client carries on', async () => {
      await expect(sql.transaction(async (tx) => {
        await tx.query(`INSERT INTO notes (id, body) VALUES (1, NULL)`);
      })).rejects.toThrow(/null value/);
      await sql.transaction((tx) => tx.query(`INSERT INTO notes (id, body) VALUES (3, 'three')`));
      expect(await notes()).toEqual([3]);
    });
  });
}

transactionContract('PGlite', async () => {
  const sql = await createMemoryDatabase();
  return { sql, close: () => sql.close() };
});

(testDatabaseUrl ? describe : describe.skip)('on PostgreSQL', () => {
  transactionContract('PostgreSQL', async () => {
    const db = await createScratchDatabase('tx');
    return { sql: db.client, close: () => db.drop() };
  });

  it('keeps a parameterless first statement from another session until COMMIT', async () => {
    const db = await createScratchDatabase('tx');
    const other = new Client({ connectionString: db.url });
    await other.connect();
    try {
      await db.client.exec('CREATE TABLE notes (id int PRIMARY KEY, body text NOT NULL)');
      const seenInside = await db.client.transaction(async (tx) => {
        await tx.query(`INSERT INTO notes (id, body) VALUES (1, 'one')`);
        return (await other.query<{ n: number }>('SELECT count(*)::int AS n FROM notes')).rows[0].n;
      });
      expect(seenInside).toBe(0);
      expect((await other.query<{ n: number }>('SELECT count(*)::int AS n FROM notes')).rows[0].n).toBe(1);
    } finally {
      await other.end();
      await db.drop();
    }
  });
});
