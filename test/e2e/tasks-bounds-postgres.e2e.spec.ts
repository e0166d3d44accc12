import { testDatabaseUrl } from '../../libs/sql/src/test-database';
import { describeTaskBounds } from './tasks-bounds-scenarios';

if (testDatabaseUrl) {
  describeTaskBounds('postgres');
} else {
  describe.skip('bounded CSV tasks (PostgreSQL): LEDGER_TEST_DATABASE_URL is not set', () => {
    it('is skipped', () => undefined);
  });
}
