import { testDatabaseUrl } from '@ledger/sql/test/test-database';
import { startLedger } from '../support/ledger-harness';
import { describeAuditScenarios } from './audit-scenarios';

if (testDatabaseUrl) {
  describeAuditScenarios('PostgreSQL', () => startLedger('postgres'));
} else {
  describe.skip('usage and audit over HTTP (PostgreSQL): LEDGER_TEST_DATABASE_URL is not set', () => {
    it('is skipped', () => undefined);
  });
}
