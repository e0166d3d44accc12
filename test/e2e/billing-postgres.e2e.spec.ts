import { testDatabaseUrl } from '@ledger/sql/test/test-database';
import { startLedger } from '../support/ledger-harness';
import { describeBillingScenarios } from './billing-scenarios';

if (testDatabaseUrl) {
  describeBillingScenarios('PostgreSQL', () => startLedger('postgres'));
} else {
  describe.skip('billing over HTTP (PostgreSQL): LEDGER_TEST_DATABASE_URL is not set', () => {
    it('is skipped', () => undefined);
  });
}
