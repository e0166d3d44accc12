import { testDatabaseUrl } from '@ledger/sql/test/test-database';
import { startLedger } from '../support/ledger-harness';
import { describeSecretScenarios } from './secrets-scenarios';

if (testDatabaseUrl) {
  describeSecretScenarios('PostgreSQL', () => startLedger('postgres'));
} else {
  describe.skip('sealed carrier credentials (PostgreSQL): LEDGER_TEST_DATABASE_URL is not set', () => {
    it('is skipped', () => undefined);
  });
}
