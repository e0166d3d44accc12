import { createMemoryDatabase } from '@ledger/sql/test/test-database';
import { PgliteSqlClient } from './pglite-sql-client';
import { sqlLiteral } from './sql-literal';

describe('sqlLiteral', () => {
  let sql: PgliteSqlClient;
  beforeAll(async () => (sql = await createMemoryDatabase()));
  afterAll(() => sql.close());

  it.each([
    ['plain', 'inventory'],
    ['a quote', "o'brien"],
    ['quotes and a backslash', "it''s \\' ; DROP TABLE x; --"],
    ['backslashes only', '\\\\n\\t'],
    ['an empty string', ''],
    ['unicode', 'número ☎'],
  ])('reads back %s unchanged', async (_, value) => {
    const r = await sql.query<{ v: string }>(`SELECT ${sqlLiteral(value)}::text AS v`);
    expect(r.rows[0].v).toBe(value);
  });

  it('reads back the same with standard_conforming_strings off', async () => {
    await sql.exec('SET standard_conforming_strings = off');
    try {
      const value = "a\\b'c";
      expect((await sql.query<{ v: string }>(`SELECT ${sqlLiteral(value)}::text AS v`)).rows[0].v).toBe(value);
    } finally {
      await sql.exec('SET standard_conforming_strings = on');
    }
  });
});
