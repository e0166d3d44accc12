import { evolve, initialNumberRecord } from '@ledger/domain/number/evolve';
import { NumberRecord } from '@ledger/domain/types';
import { RecordedEvent } from '@ledger/event-store/port';
import { SqlExecutor } from '@ledger/sql/sql-client';
import { numberBatchOf, numberEventOf } from '../number-stream';
import { Projection } from '../projection';
import { Column, columnsFrom, copies, copyRows } from '../sql-columns';
import { BillingAttributes, billingAttributes, sameAttributes } from './billing-attributes';
import { backfillBillingDeltasSql, billingDeltasDdl, DeltaBatch } from './billing-deltas';

interface Interval extends BillingAttributes {
  number: string;
  validFrom: number;
  validTo: number | null;
}

interface NumberTimeline {
  record: NumberRecord;
  /** The interval still open before this batch (replaced as a whole), then the new ones. */
  intervals: Interval[];
}

/**
 * Billing history (SPEC 6): `billing_intervals` holds, per number, the spans
 * of time during which it counted for an account, with what billing looks at
 * (classification, carrier module, features). Quantities now, as of any
 * instant, and number-days over a period are sums over these spans. Times are
 * the events' recorded instants, as for `GET /v1/numbers/{n}?asOf=`.
 * `billing_numbers` is this projection's own fold of each number.
 * `billing_deltas` holds, per account and quantity item, the change and the
 * running total at each instant a span starts or ends, so that a quantity as
 * of an instant is one index lookup per item instead of a scan of the spans.
 */
export class BillingProjection implements Projection {
  readonly name = 'billing';
  readonly tables = [
    { name: 'billing_numbers', key: 'number' },
    { name: 'billing_intervals', key: 'number, valid_from' },
    { name: 'billing_deltas', key: 'account_id, item_kind, item, carrier_module, at' },
  ];

  ddl(s: string): string {
    return `
      CREATE TABLE IF NOT EXISTS ${s}.billing_numbers (
        number text PRIMARY KEY,
        record json NOT NULL
      );
      -- Only ever read back whole: json takes the text as it is, where jsonb parsed and rebuilt it on every write.
      DO $$ BEGIN
        IF (SELECT data_type FROM information_schema.columns
            WHERE table_schema = '${s}' AND table_name = 'billing_numbers' AND column_name = 'record') = 'jsonb' THEN
          ALTER TABLE ${s}.billing_numbers ALTER COLUMN record TYPE json USING record::json;
        END IF;
      END $$;
      CREATE TABLE IF NOT EXISTS ${s}.billing_intervals (
        number text NOT NULL,
        account_id text NOT NULL,
        classification text NOT NULL,
        carrier_module text NOT NULL,
        features text[] NOT NULL,
        valid_from timestamptz NOT NULL,
        valid_to timestamptz,
        PRIMARY KEY (number, valid_from)
      );
      CREATE INDEX IF NOT EXISTS billing_intervals_current ON ${s}.billing_intervals (account_id) WHERE valid_to IS NULL;
      CREATE INDEX IF NOT EXISTS billing_intervals_history ON ${s}.billing_intervals (account_id, valid_from) INCLUDE (valid_to, classification, carrier_module, features);
      -- A number's open span is found through the primary key (number, valid_from): a number has a few spans.
      DROP INDEX IF EXISTS ${s}.billing_intervals_open;
      ${billingDeltasDdl(s)}
      ${backfillBillingDeltasSql(s)}
    `;
  }

  async apply(tx: SqlExecutor, events: RecordedEvent[], s: string): Promise<void> {
    const batch = numberBatchOf(events);
    if (batch.events.length === 0) return;
    const timelines = new Map<string, NumberTimeline>(batch.numbers.map((n) => [n, { record: initialNumberRecord(n), intervals: [] }]));
    if (batch.seen.length > 0) await load(tx, s, batch.seen, timelines);
    const deltas = new DeltaBatch();
    for (const { number, stored } of batch.events) {
      const t = timelines.get(number)!;
      if (t.record.version > stored.revision) continue; // already applied (replayed batch)
      advance(t, evolve(t.record, numberEventOf(stored)), stored.recordedAt.getTime(), deltas);
    }
    await save(tx, s, [...timelines.values()], batch.seen);
    await deltas.save(tx, s);
  }
}

/** One statement: the numbers' records and their open spans, into their timelines. */
async function load(tx: SqlExecutor, s: string, numbers: string[], timelines: Map<string, NumberTimeline>): Promise<void> {
  const r = await tx.query<{ number: string; record: NumberRecord | null; open: OpenSpanRow | null }>(
    `SELECT number, record, NULL::json AS open FROM ${s}.billing_numbers WHERE number = ANY($1::text[])
     UNION ALL
     SELECT number, NULL, json_build_object('account_id', account_id, 'classification', classification, 'carrier_module', carrier_module,
              'features', features, 'valid_from_ms', floor(extract(epoch FROM valid_from) * 1000)::float8)
     FROM ${s}.billing_intervals WHERE number = ANY($1::text[]) AND valid_to IS NULL`,
    [numbers],
    `billing-read-${s}`,
  );
  for (const { number, record, open } of r.rows) {
    const t = timelines.get(number)!;
    if (record) t.record = record;
    if (open) {
      t.intervals.push({
        number, accountId: open.account_id, classification: open.classification, carrierModule: open.carrier_module,
        features: open.features, validFrom: open.valid_from_ms, validTo: null,
      });
    }
  }
}

interface OpenSpanRow {
  account_id: string;
  classification: string;
  carrier_module: string;
  features: string[];
  valid_from_ms: number;
}

/** Closes the open span and opens another when what billing counts changes at `at`. */
function advance(t: NumberTimeline, next: NumberRecord, at: number, deltas: DeltaBatch): void {
  const open = t.intervals.find((i) => i.validTo === null) ?? null;
  const attrs = billingAttributes(next);
  t.record = next;
  if (sameAttributes(open, attrs)) return;
  if (open) {
    open.validTo = Math.max(at, open.validFrom);
    deltas.add(open, open.validTo, -1);
  }
  if (attrs) {
    const validFrom = Math.max(at, open?.validFrom ?? at);
    t.intervals.push({ number: next.number, ...attrs, validFrom, validTo: null });
    deltas.add(attrs, validFrom, 1);
  }
}

/**
 * The batch's records and spans. Numbers new to the tables (their streams start in the batch)
 * go by COPY when there are many (a rebuild, an import), the others through `upsert`.
 */
async function save(tx: SqlExecutor, s: string, timelines: NumberTimeline[], seen: string[]): Promise<void> {
  if (!copies(tx, timelines.length - seen.length)) return upsert(tx, s, timelines, seen);
  const known = new Set(seen);
  const fresh = timelines.filter((t) => !known.has(t.record.number));
  await copyRows(tx, `${s}.billing_numbers`, RECORD_COLUMNS, fresh.map((t) => [t.record.number, t.record]));
  await copyRows(tx, `${s}.billing_intervals`, SPAN_TABLE_COLUMNS, keptSpans(fresh).map((i) => [
    i.number, i.accountId, i.classification, i.carrierModule, i.features, new Date(i.validFrom), i.validTo === null ? null : new Date(i.validTo),
  ]));
  await upsert(tx, s, timelines.filter((t) => known.has(t.record.number)), seen);
}

// A span that opened and closed at the same instant never counted: it is not kept.
const keptSpans = (timelines: NumberTimeline[]) => timelines.flatMap((t) => t.intervals).filter((i) => i.validTo === null || i.validTo > i.validFrom);

/**
 * One statement: the numbers' records, their open spans replaced by what the batch made of
 * them (only numbers `seen` before the batch have any). (The replacement spans read the
 * deletion's count first, so that the old open rows are gone before rows with the same key
 * come in.) Columns travel as arrays, unnested side by side.
 */
async function upsert(tx: SqlExecutor, s: string, timelines: NumberTimeline[], seen: string[]): Promise<void> {
  if (timelines.length === 0) return;
  const rows = keptSpans(timelines);
  const records = columnsFrom(RECORD_COLUMNS, [timelines.map((t) => t.record.number), timelines.map((t) => t.record)]);
  const spans = columnsFrom(SPAN_COLUMNS, [
    rows.map((i) => i.number), rows.map((i) => i.accountId), rows.map((i) => i.classification), rows.map((i) => i.carrierModule),
    rows.map((i) => i.features), rows.map((i) => i.validFrom), rows.map((i) => i.validTo),
  ], 4);
  await tx.query(
    `WITH records AS (
       INSERT INTO ${s}.billing_numbers (number, record) SELECT x.number, x.record FROM ${records.sql}
       ON CONFLICT (number) DO UPDATE SET record = EXCLUDED.record),
     replaced AS (DELETE FROM ${s}.billing_intervals WHERE number = ANY($3::text[]) AND valid_to IS NULL RETURNING 1)
     INSERT INTO ${s}.billing_intervals (number, account_id, classification, carrier_module, features, valid_from, valid_to)
     SELECT x.number, x.account_id, x.classification, x.carrier_module, ARRAY(SELECT jsonb_array_elements_text(x.features)),
            to_timestamp(x.valid_from / 1000.0), to_timestamp(x.valid_to / 1000.0)
     FROM ${spans.sql}
     WHERE (SELECT count(*) FROM replaced) >= 0`,
    [...records.params, seen, ...spans.params],
    `billing-upsert-${s}`,
  );
}

const RECORD_COLUMNS: Column[] = [{ name: 'number', type: 'text' }, { name: 'record', type: 'json' }];

/** billing_intervals' own columns, for COPY. */
const SPAN_TABLE_COLUMNS: Column[] = [
  { name: 'number', type: 'text' }, { name: 'account_id', type: 'text' }, { name: 'classification', type: 'text' },
  { name: 'carrier_module', type: 'text' }, { name: 'features', type: 'text[]' }, { name: 'valid_from', type: 'timestamptz' },
  { name: 'valid_to', type: 'timestamptz' },
];

const SPAN_COLUMNS: Column[] = [
  { name: 'number', type: 'text' }, { name: 'account_id', type: 'text' }, { name: 'classification', type: 'text' },
  { name: 'carrier_module', type: 'text' }, { name: 'features', type: 'jsonb' }, { name: 'valid_from', type: 'float8' },
  { name: 'valid_to', type: 'float8' },
];
