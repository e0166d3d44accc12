import { testDatabaseUrl } from '@ledger/sql/test/test-database';
import { describeTaskScenarios } from './tasks-scenarios';

if (testDatabaseUrl) {
  describeTaskScenarios('postgres');
} else {
  describe.skip('bulk CSV tasks (PostgreSQL): LEDGER_TEST_DATABASE_URL is not set', () => {
    it('is skipped', () => undefined);
  });
}
