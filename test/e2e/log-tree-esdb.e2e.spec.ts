import { testDatabaseUrl } from '@ledger/sql/test/test-database';
import { describeLogTree } from './log-tree-scenarios';

if (testDatabaseUrl) {
  describeLogTree('esdb');
} else {
  describe.skip('verifiable history (esdb): LEDGER_TEST_DATABASE_URL is not set', () => {
    it('is skipped', () => undefined);
  });
}
