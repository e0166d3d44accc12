import { testDatabaseUrl } from '@ledger/sql/test/test-database';
import { startGrpcLedger } from './grpc-harness';
import { describeGrpcScenarios } from './grpc-scenarios';

if (testDatabaseUrl) {
  describeGrpcScenarios('PostgreSQL', () => startGrpcLedger('postgres'));
} else {
  describe.skip('ledger over gRPC (PostgreSQL): LEDGER_TEST_DATABASE_URL is not set', () => {
    it('is skipped', () => undefined);
  });
}
