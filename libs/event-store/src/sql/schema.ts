/** Tables of the SQL event store, in the database's default schema. */
export const EVENTS = 'ledger_events';
export const STREAMS = 'ledger_streams';

/** Serialises concurrent `init()` calls from several processes (CREATE ... IF NOT EXISTS is not race-free). */
export const INIT_LOCK = 7_310_400_101;

export const SCHEMA_STATEMENTS = [
  `CREATE TABLE IF NOT EXISTS ${STREAMS} (
     stream_id text PRIMARY KEY,
     revision bigint NOT NULL
   )`,
  `CREATE TABLE IF NOT EXISTS ${EVENTS} (
     sequence bigint GENERATED ALWAYS AS IDENTITY,
     tx_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
     stream_id text NOT NULL,
     revision bigint NOT NULL,
     event_id uuid NOT NULL,
     type text NOT NULL,
     data jsonb NOT NULL,
     metadata jsonb NOT NULL,
     recorded_at timestamptz NOT NULL DEFAULT now(),
     CONSTRAINT ${EVENTS}_log_order PRIMARY KEY (tx_id, sequence),
     CONSTRAINT ${EVENTS}_stream_revision UNIQUE (stream_id, revision),
     CONSTRAINT ${EVENTS}_event_id UNIQUE (event_id)
   )`,
];

export const EVENT_ID_CONSTRAINT = `${EVENTS}_event_id`;
