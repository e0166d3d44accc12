import { testDatabaseUrl } from '@ledger/sql/test/test-database';
import { startLedger } from '../support/ledger-harness';
import { describeTenancyScenarios } from './tenancy-scenarios';

if (testDatabaseUrl) {
  describeTenancyScenarios('PostgreSQL', () => startLedger('postgres'));
} else {
  describe.skip('tenancy over HTTP (PostgreSQL): LEDGER_TEST_DATABASE_URL is not set', () => {
    it('is skipped', () => undefined);
  });
}
