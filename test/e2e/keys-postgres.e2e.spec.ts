import { testDatabaseUrl } from '@ledger/sql/test/test-database';
import { describeKeyScenarios } from './keys-scenarios';

if (testDatabaseUrl) {
  describeKeyScenarios('postgres');
} else {
  describe.skip('account keys and failed authentication (PostgreSQL): LEDGER_TEST_DATABASE_URL is not set', () => {
    it('is skipped', () => undefined);
  });
}
