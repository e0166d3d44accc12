import { Client } from 'pg';
import { SqlEventStore } from '@ledger/event-store/sql-event-store';
import { AccountsProjection } from '@ledger/projections/accounts/projection';
import { InventoryProjection } from '@ledger/projections/inventory/projection';
import { Projector } from '@ledger/projections/projector';
import { PgSqlClient } from '@ledger/sql/pg-sql-client';
import { appendAccounts, withInProcessService } from './in-process-service';

/**
 * A synthetic ledger of N numbers written straight into the event store's tables
 * (one INSERT ... SELECT per chunk, seconds for a million events), with events shaped
 * as `decide` records them, for benchmarks that need a big log or big read models.
 *
 * Number i is +1 AAA 2LL LLLL with area AAA = 200 + i % 100 and line L = i / 100, so
 * every area code holds N / 100 numbers. By L % 20 a number is added
 * available (0-9), in service for site `cust-s<AAA % 10>` (10-14), in service for
 * `big` (15-16), reserved by `cust` (17), aging (18) or in service for `cust` (19).
 * With `acquiredLater`, the available ones with L % 20 < 5 are acquired afterwards by
 * their area's site (a second event in their stream, later in the log).
 */
export const SITES = 10;
export const LOG_ACCOUNTS = [
  { id: 'cust', parentId: 'system' },
  { id: 'big', parentId: 'system' },
  ...Array.from({ length: SITES }, (_, i) => ({ id: `cust-s${i}`, parentId: 'cust' })),
];

export interface NumberLogOptions {
  numbers: number;
  acquiredLater?: boolean;
}

export interface NumberLog {
  numbers: number;
  /** Number events written (the accounts' few events come on top). */
  events: number;
  /** How many numbers end in each state once the log is projected. */
  states: Record<string, number>;
  /** Numbers held by `big`, in number order. */
  bigNumbers: number;
}

const CHUNK = 50_000;
const T0 = Date.parse('2025-01-01T00:00:00Z') / 1000;

const area = `(200 + i % 100)`;
const line = `(i / 100)`;
const slot = `(${line} % 20)`;
const numberOf = `'+1' || (${area} * 10000000 + 2000000 + ${line})`;
const iso = (ts: string) => `to_char((${ts}) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const addedAt = `to_timestamp(${T0} + i)`;

/** The accounts (through the service, as POST /v1/accounts records them), then the numbers' events. */
export async function seedNumberLog(url: string, options: NumberLogOptions): Promise<NumberLog> {
  await withInProcessService(url, async (start) => {
    const service = await start();
    await service.projector.waitFor(await appendAccounts(service.events, LOG_ACCOUNTS), 10_000);
    await service.close();
  });
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    for (let from = 0; from < options.numbers; from += CHUNK) {
      await insertChunk(client, addedEvents(), from, Math.min(options.numbers, from + CHUNK));
    }
    if (options.acquiredLater) {
      for (let from = 0; from < options.numbers; from += CHUNK) {
        await insertChunk(client, acquiredEvents(options.numbers), from, Math.min(options.numbers, from + CHUNK));
      }
    }
    await client.query('ANALYZE ledger_events');
    await client.query('ANALYZE ledger_streams');
  } finally {
    await client.end();
  }
  return describe(options);
}

/** SELECT list (stream_id, revision, type, data, metadata, recorded_at) and WHERE of one kind of event. */
interface EventRows {
  select: string;
  where: string;
  /** Stream revision after the event. */
  revision: number;
}

function addedEvents(): EventRows {
  const state = `CASE WHEN ${slot} < 10 THEN 'available' WHEN ${slot} = 17 THEN 'reserved' WHEN ${slot} = 18 THEN 'aging' ELSE 'in_service' END`;
  const holder = `CASE WHEN ${slot} < 10 OR ${slot} = 18 THEN NULL WHEN ${slot} < 15 THEN 'cust-s' || (${area} % ${SITES})
    WHEN ${slot} < 17 THEN 'big' ELSE 'cust' END`;
  const module = `CASE WHEN ${slot} < 10 OR ${slot} = 18 THEN 'knm_inventory' ELSE 'knm_local' END`;
  const data = `jsonb_build_object('at', ${iso(addedAt)}, 'number', ${numberOf}, 'state', ${state}, 'carrierModule', ${module},
    'assignedTo', ${holder}, 'reserveHistory', CASE WHEN ${slot} = 17 THEN '["cust"]'::jsonb ELSE '[]'::jsonb END,
    'agingUntil', CASE WHEN ${slot} = 18 THEN ${iso(`${addedAt} + interval '90 days'`)} END,
    'from', NULL, 'prevAssignedTo', NULL, 'features', '{}'::jsonb, 'poolAccountId', NULL)`;
  return {
    select: `'number-' || ${numberOf}, 0, 'NumberAdded.v1', ${data}, '{"actor": "system", "command": "AddNumber"}'::jsonb, ${addedAt}`,
    where: 'true',
    revision: 0,
  };
}

function acquiredEvents(numbers: number): EventRows {
  const at = `to_timestamp(${T0 + numbers} + i)`;
  const data = `jsonb_build_object('at', ${iso(at)}, 'from', 'available', 'accountId', 'cust-s' || (${area} % ${SITES}),
    'prevAssignedTo', NULL, 'orderFromCarrier', false, 'features', '{}'::jsonb)`;
  return {
    select: `'number-' || ${numberOf}, 1, 'NumberAcquired.v1', ${data}, '{"actor": "cust", "command": "AcquireNumber"}'::jsonb, ${at}`,
    where: `${slot} < 5`,
    revision: 1,
  };
}

/** One transaction per chunk, as a bulk writer would commit them. */
async function insertChunk(client: Client, rows: EventRows, from: number, to: number): Promise<void> {
  const range = `FROM generate_series($1::bigint, $2::bigint - 1) AS i WHERE ${rows.where}`;
  await client.query('BEGIN');
  await client.query(
    `INSERT INTO ledger_events (stream_id, revision, event_id, type, data, metadata, recorded_at)
     SELECT s.stream_id, s.revision, gen_random_uuid(), s.type, s.data, s.metadata, s.recorded_at
     FROM (SELECT ${rows.select} ${range}) AS s(stream_id, revision, type, data, metadata, recorded_at)`,
    [from, to],
  );
  await client.query(
    `INSERT INTO ledger_streams (stream_id, revision) SELECT 'number-' || ${numberOf}, ${rows.revision} ${range}
     ON CONFLICT (stream_id) DO UPDATE SET revision = EXCLUDED.revision`,
    [from, to],
  );
  await client.query('COMMIT');
}

function describe({ numbers, acquiredLater }: NumberLogOptions): NumberLog {
  const counts: Record<number, number> = {};
  for (let i = 0; i < numbers; i++) {
    const s = Math.floor(i / 100) % 20;
    counts[s] = (counts[s] ?? 0) + 1;
  }
  const sum = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => counts[from + k] ?? 0).reduce((a, b) => a + b, 0);
  const acquired = acquiredLater ? sum(0, 5) : 0;
  return {
    numbers,
    events: numbers + acquired,
    states: { available: sum(0, 10) - acquired, in_service: sum(10, 17) + sum(19, 20) + acquired, reserved: sum(17, 18), aging: sum(18, 19) },
    bigNumbers: sum(15, 17),
  };
}

/**
 * Only the read models that number queries read (inventory, accounts), rebuilt from the log
 * by their projections; every other projection's checkpoint is put at the head, as if it had
 * followed, so that a service started next does not replay the log. Returns the seconds taken.
 */
export async function projectInventory(url: string): Promise<number> {
  const sql = new PgSqlClient(url, { max: 4 });
  try {
    const projector = new Projector(new SqlEventStore(sql), sql, [new InventoryProjection(), new AccountsProjection()]);
    await projector.migrate();
    const started = performance.now();
    await projector.rebuild();
    const seconds = (performance.now() - started) / 1000;
    await sql.query(`UPDATE projection_checkpoints SET position = $1`, [projector.checkpoint]);
    await sql.exec('ANALYZE inventory; ANALYZE accounts');
    return seconds;
  } finally {
    await sql.close();
  }
}

/** The n-th number of the log (see the module comment). */
export function logNumber(i: number): string {
  return `+1${(200 + (i % 100)) * 10_000_000 + 2_000_000 + Math.floor(i / 100)}`;
}

/** Numbers per state in the inventory read model. */
export async function inventoryStates(client: Client, schema = 'public'): Promise<Record<string, number>> {
  const r = await client.query<{ state: string; n: string }>(`SELECT state, count(*) AS n FROM ${schema}.inventory GROUP BY state`);
  return Object.fromEntries(r.rows.map((row) => [row.state, Number(row.n)]));
}

/** Same counts, whatever the key order. */
export function sameStates(a: Record<string, number>, b: Record<string, number>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((k) => (a[k] ?? 0) === (b[k] ?? 0));
}
