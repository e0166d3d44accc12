import { testDatabaseUrl } from '@ledger/sql/test/test-database';
import { describeLedgerScenarios, startOn } from './ledger-scenarios';

if (testDatabaseUrl) {
  describeLedgerScenarios('EventStoreDB test server + PostgreSQL read models', startOn('esdb'));
} else {
  describe.skip('ledger over HTTP (EventStoreDB + PostgreSQL): LEDGER_TEST_DATABASE_URL is not set', () => {
    it('is skipped', () => undefined);
  });
}
