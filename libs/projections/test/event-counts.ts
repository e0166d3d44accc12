import { RecordedEvent } from '@ledger/event-store/port';
import { SqlExecutor } from '@ledger/sql/sql-client';
import { Projection } from '../src/projection';

/**
 * A read model for projector tests: how many events of each stream it was given. An event
 * applied twice, or missed, shows as a count off by one.
 */
export class EventCounts implements Projection {
  readonly name = 'event-counts';
  readonly tables = [{ name: 'event_counts', key: 'stream_id' }];
  ddl(schema: string): string {
    return `CREATE TABLE IF NOT EXISTS ${schema}.event_counts (stream_id text PRIMARY KEY, n int NOT NULL)`;
  }
  async apply(tx: SqlExecutor, events: RecordedEvent[], schema: string): Promise<void> {
    const counts = new Map<string, number>();
    for (const e of events) counts.set(e.streamId, (counts.get(e.streamId) ?? 0) + 1);
    await tx.query(
      `INSERT INTO ${schema}.event_counts (stream_id, n) SELECT * FROM unnest($1::text[], $2::int[])
       ON CONFLICT (stream_id) DO UPDATE SET n = event_counts.n + EXCLUDED.n`,
      [[...counts.keys()], [...counts.values()]],
    );
  }
}
