import { RecordedEvent } from '@ledger/event-store/port';
import { SqlExecutor } from '@ledger/sql/sql-client';
import { Projection } from '../src/projection';

/** A read model for projector tests: the streams seen, one row each. */
export class SeenStreams implements Projection {
  readonly name = 'seen';
  readonly tables = [{ name: 'seen_streams', key: 'stream_id' }];
  ddl(schema: string): string {
    return `CREATE TABLE IF NOT EXISTS ${schema}.seen_streams (stream_id text PRIMARY KEY)`;
  }
  async apply(tx: SqlExecutor, events: RecordedEvent[], schema: string): Promise<void> {
    for (const e of events) await tx.query(`INSERT INTO ${schema}.seen_streams VALUES ($1) ON CONFLICT DO NOTHING`, [e.streamId]);
  }
}
