import { testDatabaseUrl } from '@ledger/sql/test/test-database';
import { startLedger } from '../support/ledger-harness';
import { describeTenancyMatrix } from './tenancy-matrix';

if (testDatabaseUrl) {
  describeTenancyMatrix('PostgreSQL', () => startLedger('postgres'));
} else {
  describe.skip('tenancy matrix (PostgreSQL): LEDGER_TEST_DATABASE_URL is not set', () => {
    it('is skipped', () => undefined);
  });
}
