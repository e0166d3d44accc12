import { testDatabaseUrl } from '@ledger/sql/test/test-database';
import { describeUsageSyncCrash } from './usage-sync-scenarios';

if (testDatabaseUrl) {
  describeUsageSyncCrash('postgres');
} else {
  describe.skip('usage sync after a crash (PostgreSQL): LEDGER_TEST_DATABASE_URL is not set', () => {
    it('is skipped', () => undefined);
  });
}
