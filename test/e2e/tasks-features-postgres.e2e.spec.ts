import { testDatabaseUrl } from '@ledger/sql/test/test-database';
import { describeTaskFeatureScenarios } from './tasks-features-scenarios';

if (testDatabaseUrl) {
  describeTaskFeatureScenarios('postgres');
} else {
  describe.skip('bulk CSV tasks with feature columns (PostgreSQL): LEDGER_TEST_DATABASE_URL is not set', () => {
    it('is skipped', () => undefined);
  });
}
