import { testDatabaseUrl } from '@ledger/sql/test/test-database';
import { describeLedgerScenarios, startOn } from './ledger-scenarios';

if (testDatabaseUrl) {
  describeLedgerScenarios('PostgreSQL', startOn('postgres'));
} else {
  describe.skip('ledger over HTTP (PostgreSQL): LEDGER_TEST_DATABASE_URL is not set', () => {
    it('is skipped', () => undefined);
  });
}
