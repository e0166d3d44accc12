import { testDatabaseUrl } from '@ledger/sql/test/test-database';
import { describeLogTree } from './log-tree-scenarios';

if (testDatabaseUrl) {
  describeLogTree('postgres');
} else {
  describe.skip('verifiable history (postgres): LEDGER_TEST_DATABASE_URL is not set', () => {
    it('is skipped', () => undefined);
  });
}
