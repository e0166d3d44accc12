import { testDatabaseUrl } from '@ledger/sql/test/test-database';
import { describeCarrierScenarios, startOn } from './carriers-scenarios';

if (testDatabaseUrl) {
  describeCarrierScenarios('PostgreSQL', startOn('postgres'));
} else {
  describe.skip('upstream carriers over HTTP (PostgreSQL): LEDGER_TEST_DATABASE_URL is not set', () => {
    it('is skipped', () => undefined);
  });
}
