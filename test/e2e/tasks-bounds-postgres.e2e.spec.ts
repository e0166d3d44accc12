import { testDatabaseUrl } from '@ledger/sql/test/test-database';
import { describeTaskBounds } from './tasks-bounds-scenarios';

if (testDatabaseUrl) {
  describeTaskBounds('postgres');
} else {
  describe.skip('bounded CSV tasks (PostgreSQL): LEDGER_TEST_DATABASE_URL is not set', () => {
    it('is skipped', () => undefined);
  });
}
