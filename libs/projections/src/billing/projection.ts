import { evolve, initialNumberRecord } from '@ledger/domain/number/evolve';
import { numberEvents as numberCodec } from '@ledger/domain/number/events';
import { NumberRecord } from '@ledger/domain/types';
import { RecordedEvent } from '@ledger/event-store/port';
import { SqlExecutor } from '@ledger/sql/sql-client';
import { Projection } from '../projection';
import { BillingAttributes, billingAttributes, sameAttributes } from './billing-attributes';
import { backfillBillingDeltasSql, billingDeltasDdl, DeltaBatch } from './billing-deltas';

const NUMBER_STREAM = 'number-';

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
        record jsonb NOT NULL
      );
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
      CREATE INDEX IF NOT EXISTS billing_intervals_open ON ${s}.billing_intervals (number) WHERE valid_to IS NULL;
      ${billingDeltasDdl(s)}
      ${backfillBillingDeltasSql(s)}
    `;
  }

  async apply(tx: SqlExecutor, events: RecordedEvent[], s: string): Promise<void> {
    const numberEvents = events.filter((e) => e.streamId.startsWith(NUMBER_STREAM));
    if (numberEvents.length === 0) return;
    const timelines = await load(tx, s, [...new Set(numberEvents.map((e) => e.streamId.slice(NUMBER_STREAM.length)))]);
    const deltas = new DeltaBatch();
    for (const e of numberEvents) {
      const t = timelines.get(e.streamId.slice(NUMBER_STREAM.length))!;
      if (t.record.version > e.revision) continue; // already applied (replayed batch)
      advance(t, evolve(t.record, numberCodec.read(e)), e.recordedAt.getTime(), deltas);
    }
    await save(tx, s, [...timelines.values()]);
    await deltas.save(tx, s);
  }
}

/** One statement: the numbers' records and their open spans. */
async function load(tx: SqlExecutor, s: string, numbers: string[]): Promise<Map<string, NumberTimeline>> {
  const timelines = new Map<string, NumberTimeline>(numbers.map((n) => [n, { record: initialNumberRecord(n), intervals: [] }]));
  const r = await tx.query<{ number: string; record: NumberRecord | null; open: OpenSpanRow | null }>(
    `SELECT number, record, NULL::json AS open FROM ${s}.billing_numbers WHERE number = ANY($1::text[])
     UNION ALL
     SELECT number, NULL, json_build_object('account_id', account_id, 'classification', classification, 'carrier_module', carrier_module,
              'features', features, 'valid_from_ms', floor(extract(epoch FROM valid_from) * 1000)::float8)
     FROM ${s}.billing_intervals WHERE number = ANY($1::text[]) AND valid_to IS NULL`,
    [numbers],
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
  return timelines;
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
 * One statement: the numbers' records, their open spans replaced by what the batch made of
 * them. (The replacement spans read the deletion's count first, so that the old open rows are
 * gone before rows with the same key come in.)
 */
async function save(tx: SqlExecutor, s: string, timelines: NumberTimeline[]): Promise<void> {
  // A span that opened and closed at the same instant never counted: it is not kept.
  const rows = timelines.flatMap((t) => t.intervals).filter((i) => i.validTo === null || i.validTo > i.validFrom);
  await tx.query(
    `WITH records AS (
       INSERT INTO ${s}.billing_numbers (number, record)
       SELECT x.number, x.record FROM jsonb_to_recordset($1::jsonb) AS x(number text, record jsonb)
       ON CONFLICT (number) DO UPDATE SET record = EXCLUDED.record),
     replaced AS (DELETE FROM ${s}.billing_intervals WHERE number = ANY($2::text[]) AND valid_to IS NULL RETURNING 1)
     INSERT INTO ${s}.billing_intervals (number, account_id, classification, carrier_module, features, valid_from, valid_to)
     SELECT x.number, x.account_id, x.classification, x.carrier_module, ARRAY(SELECT jsonb_array_elements_text(x.features)),
            to_timestamp(x.valid_from / 1000.0), to_timestamp(x.valid_to / 1000.0)
     FROM jsonb_to_recordset($3::jsonb) AS x(number text, account_id text, classification text, carrier_module text, features jsonb, valid_from float8, valid_to float8)
     WHERE (SELECT count(*) FROM replaced) >= 0`,
    [
      JSON.stringify(timelines.map((t) => ({ number: t.record.number, record: t.record }))),
      timelines.map((t) => t.record.number),
      JSON.stringify(rows.map((i) => ({
        number: i.number, account_id: i.accountId, classification: i.classification, carrier_module: i.carrierModule,
        features: i.features, valid_from: i.validFrom, valid_to: i.validTo,
      }))),
    ],
  );
}
