import { Client } from 'pg';
import { randomBytes } from 'node:crypto';
import { PgSqlClient } from '@ledger/sql/pg-sql-client';
import { PgliteSqlClient } from '@ledger/sql/pglite-sql-client';
import { SqlClient } from '@ledger/sql/sql-client';

/**
 * Test support: the PostgreSQL server the suites may use, from LEDGER_TEST_DATABASE_URL
 * (set by .ci/run when a server answers). Suites that need it skip when it is unset.
 */
export const testDatabaseUrl = process.env.LEDGER_TEST_DATABASE_URL || '';

export interface ScratchDatabase {
  url: string;
  client: SqlClient;
  drop(): Promise<void>;
}

/** Creates a fresh, uniquely named database on the test server, so suites never share tables. */
export async function createScratchDatabase(prefix = 'ledger'): Promise<ScratchDatabase> {
  if (!testDatabaseUrl) throw new Error('LEDGER_TEST_DATABASE_URL is not set');
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const admin = new Client({ connectionString: testDatabaseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(testDatabaseUrl);
  url.pathname = `/${name}`;
  const client = new PgSqlClient(url.toString());
  return {
    url: url.toString(),
    client,
    async drop() {
      await client.close().catch(() => undefined);
      const a = new Client({ connectionString: testDatabaseUrl });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}

/** An in-memory PGlite database for a test. */
export function createMemoryDatabase(): Promise<PgliteSqlClient> {
  return PgliteSqlClient.open();
}
