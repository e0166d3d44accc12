import { describeEventStoreContract } from '@ledger/event-store/test/contract/event-store.contract';
import { EsdbEventStore } from './esdb-event-store';
import { startEsdbTestServer } from '@ledger/event-store/test/esdb-test-server';

describeEventStoreContract('EventStoreDB (wire-level test server)', async () => {
  const server = await startEsdbTestServer();
  return { store: new EsdbEventStore(server.url), cleanup: () => server.stop() };
});

const realServer = process.env.ESDB_TEST_URL;
if (realServer) {
  describeEventStoreContract(`EventStoreDB at ${realServer}`, async () => ({
    store: new EsdbEventStore(realServer),
    cleanup: async () => undefined,
  }));
} else {
  describe('EventStore contract: real EventStoreDB', () => {
    it.skip('is skipped: set ESDB_TEST_URL (e.g. esdb://localhost:2113?tls=false) to run it', () => undefined);
  });
  console.info('EventStoreDB contract against a real server skipped: ESDB_TEST_URL is not set');
}
