import { PgliteSqlClient } from '@ledger/sql';
import { BillingProjection } from './projection';

/** `billing_numbers.record` is json (taken as text) since it is only read back whole; a jsonb column of an older release is converted in place. */
describe('billing_numbers.record', () => {
  it('is converted from jsonb to json on migration, keeping every record', async () => {
    const sql = await PgliteSqlClient.open();
    try {
      await sql.exec(`CREATE TABLE billing_numbers (number text PRIMARY KEY, record jsonb NOT NULL);
        INSERT INTO billing_numbers VALUES ('+14155550100', '{"number": "+14155550100", "state": "in_service", "version": 2}')`);
      const ddl = new BillingProjection().ddl('public');
      await sql.exec(ddl);
      await sql.exec(ddl); // a second start changes nothing
      const type = await sql.query<{ data_type: string }>(
        `SELECT data_type FROM information_schema.columns WHERE table_name = 'billing_numbers' AND column_name = 'record'`,
      );
      expect(type.rows).toEqual([{ data_type: 'json' }]);
      const kept = await sql.query<{ record: unknown }>(`SELECT record FROM billing_numbers`);
      expect(kept.rows).toEqual([{ record: { number: '+14155550100', state: 'in_service', version: 2 } }]);
    } finally {
      await sql.close();
    }
  });
});
