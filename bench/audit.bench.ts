import { Client } from 'pg';
import { Benchmark } from './bench-kit';
import { appendAccounts, withInProcessService } from './in-process-service';

/**
 * Inventory audit (SPEC 7) of one customer with N numbers (1,000,000 at scale 1)
 * and N service references over 10 sites, 1% of the numbers wrong: a quarter
 * missing, a quarter `available` but used, a quarter in service without usage,
 * a quarter in service and used by nothing. Timed end to end over HTTP: POST
 * /v1/audits until GET /v1/audits/{id} says completed. Beside it, the same run
 * times the raw SQL anti-join (service references without a matching in-service
 * number) on the same tables.
 *
 * Fixture: the read models (inventory, services, service_numbers) are bulk
 * loaded with SQL, and only the 0.75% of numbers the audit changes get real
 * event streams; the audit never reads the streams of the numbers that are right.
 */
const SITES = 10;
const START = 2_122_000_000;

const bench: Benchmark = async (ctx) => {
  const n = Math.max(4_000, Math.round((1_000_000 * ctx.scale) / 400) * 400);
  const url = await ctx.scratchDatabase('audit');
  return withInProcessService(url, async (start) => {
    const setup = await start();
    const accounts = [{ id: 'cust', parentId: 'system' }, ...Array.from({ length: SITES }, (_, i) => ({ id: `cust-s${i}`, parentId: 'cust' }))];
    await setup.projector.waitFor(await appendAccounts(setup.events, accounts), 10_000);
    await setup.close();
    const seeded = performance.now();
    await seed(url, n);
    ctx.log(`seeded ${n} numbers and ${n} service references in ${((performance.now() - seeded) / 1000).toFixed(1)} s`);

    const raw = await rawAntiJoin(url);
    ctx.log(`raw anti-join: ${raw.rows} references without a matching in-service number in ${raw.seconds.toFixed(2)} s`);

    const { base } = await start(); // the tables were loaded behind the first one's back
    const audit = await timedAudit(base);
    ctx.log(`audit: ${audit.seconds.toFixed(1)} s, counts ${JSON.stringify(audit.counts)}`);
    const expected = { added: n / 400, updated: n / 200, conflicts: 0, unused: n / 400 };
    const correct = JSON.stringify(audit.counts) === JSON.stringify(expected);
    if (!correct) ctx.log(`audit counts differ from the expected ${JSON.stringify(expected)}`);
    return {
      benchmark: `Inventory audit of a customer with ${n.toLocaleString('en')} numbers and ${n.toLocaleString('en')} service references, 1% wrong (PostgreSQL)`,
      figures: [{
        name: 'customer-level audit, POST /v1/audits until completed',
        value: audit.seconds,
        unit: 's',
        reference: { name: 'raw SQL anti-join of service_numbers against inventory', value: raw.seconds },
        ratio: audit.seconds / raw.seconds,
        target: '< 60 s end to end at 1,000,000 numbers',
        met: audit.seconds < 60 && correct,
        extra: { numbers: n, changes: expected.added + expected.updated + expected.unused, counts_as_expected: String(correct) },
      }],
    };
  });
};

export default bench;

/** Number i: +1 212 2xx xxxx. i % 400: 0 missing, 100 available, 200 in service without usage, 300 unused. */
async function seed(url: string, n: number): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  const num = `'+1' || (${START} + i)`;
  const site = `'cust-s' || ((i / 100) % ${SITES})`;
  const usage = `jsonb_build_array(jsonb_build_object('type', 'device', 'id', 'd' || (i / 100), 'accountId', ${site}))`;
  try {
    await client.query('BEGIN');
    await client.query(
      `INSERT INTO inventory (number, state, carrier_module, assigned_to, prev_assigned_to, reserve_history, features, feature_lists, used_by,
         classification, local, billable, version, created_at, updated_at, position)
       SELECT ${num},
              CASE WHEN i % 400 = 100 THEN 'available' ELSE 'in_service' END,
              CASE WHEN i % 400 = 100 THEN 'knm_inventory' ELSE 'knm_local' END,
              CASE WHEN i % 400 = 100 THEN NULL ELSE ${site} END,
              NULL, '[]', '{}', '{}',
              CASE WHEN i % 400 IN (100, 200) THEN '[]'::jsonb ELSE ${usage} END,
              'did_us', i % 400 <> 100, false,
              CASE WHEN i % 400 IN (100, 200) THEN 1 ELSE 2 END, now(), now(), '0:0'
       FROM generate_series(0, $1::int - 1) AS i WHERE i % 400 <> 0`,
      [n],
    );
    await client.query(
      `INSERT INTO service_numbers (number, account_id, type, service_id)
       SELECT ${num}, ${site}, 'device', 'd' || (i / 100) FROM generate_series(0, $1::int - 1) AS i WHERE i % 400 <> 300`,
      [n],
    );
    await client.query(
      `INSERT INTO services (account_id, type, service_id, name, numbers, updated_at, position)
       SELECT account_id, type, service_id, NULL, jsonb_agg(number ORDER BY number), now(), '0:0'
       FROM service_numbers GROUP BY account_id, type, service_id`,
    );
    await seedStreams(client, n, num, site, usage);
    await client.query('COMMIT');
    // The seeded events are already in the read models: the projector starts after them.
    await client.query(
      `UPDATE projection_checkpoints SET position = (SELECT tx_id::text || ':' || sequence FROM ledger_events ORDER BY tx_id DESC, sequence DESC LIMIT 1)`,
    );
    await client.query('ANALYZE');
  } finally {
    await client.end();
  }
}

/** Real streams for the numbers the audit changes, matching their inventory rows. */
async function seedStreams(client: Client, n: number, num: string, site: string, usage: string): Promise<void> {
  const touched = `FROM generate_series(0, $1::int - 1) AS i WHERE i % 400 IN (100, 200, 300)`;
  await client.query(`INSERT INTO ledger_streams (stream_id, revision) SELECT 'number-' || ${num}, CASE WHEN i % 400 = 300 THEN 1 ELSE 0 END ${touched}`, [n]);
  await client.query(
    `INSERT INTO ledger_events (stream_id, revision, event_id, type, data, metadata)
     SELECT 'number-' || ${num}, 0, gen_random_uuid(), 'NumberAdded.v1',
            jsonb_build_object('at', now(), 'number', ${num},
              'state', CASE WHEN i % 400 = 100 THEN 'available' ELSE 'in_service' END,
              'carrierModule', CASE WHEN i % 400 = 100 THEN 'knm_inventory' ELSE 'knm_local' END,
              'assignedTo', CASE WHEN i % 400 = 100 THEN NULL ELSE ${site} END,
              'reserveHistory', '[]'::jsonb, 'agingUntil', NULL, 'from', NULL, 'prevAssignedTo', NULL, 'features', '{}'::jsonb, 'poolAccountId', NULL),
            '{"actor": "system", "command": "AddNumber"}'::jsonb
     ${touched}`,
    [n],
  );
  await client.query(
    `INSERT INTO ledger_events (stream_id, revision, event_id, type, data, metadata)
     SELECT 'number-' || ${num}, 1, gen_random_uuid(), 'NumberUsageSet.v1', jsonb_build_object('at', now(), 'usedBy', ${usage}),
            '{"actor": "system", "command": "SetUsage"}'::jsonb
     FROM generate_series(0, $1::int - 1) AS i WHERE i % 400 = 300`,
    [n],
  );
}

/** The reference: references whose number is not in service for the using account, one plain query. */
async function rawAntiJoin(url: string): Promise<{ seconds: number; rows: number }> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const scope = ['cust', ...Array.from({ length: SITES }, (_, i) => `cust-s${i}`)];
    const started = performance.now();
    const r = await client.query(
      `SELECT sn.number FROM service_numbers sn
       WHERE sn.account_id = ANY($1::text[])
         AND NOT EXISTS (SELECT 1 FROM inventory i WHERE i.number = sn.number AND i.state = 'in_service' AND i.assigned_to = sn.account_id)`,
      [scope],
    );
    return { seconds: (performance.now() - started) / 1000, rows: r.rowCount ?? 0 };
  } finally {
    await client.end();
  }
}

async function timedAudit(base: string): Promise<{ seconds: number; counts: Record<string, number> }> {
  const headers = { authorization: 'Bearer bench-system-key', 'content-type': 'application/json' };
  const started = performance.now();
  const r = await fetch(`${base}/v1/audits`, { method: 'POST', headers, body: JSON.stringify({ accountId: 'cust', level: 'customer' }) });
  let audit = (await r.json()) as AuditAnswer;
  if (r.status >= 300) throw new Error(`audit refused: ${JSON.stringify(audit)}`);
  while (audit.status !== 'completed') {
    await new Promise((res) => setTimeout(res, 200));
    audit = (await (await fetch(`${base}/v1/audits/${audit.id}?limit=0`, { headers })).json()) as AuditAnswer;
  }
  return { seconds: (performance.now() - started) / 1000, counts: audit.counts };
}

/** The fields of an audit answer (API.md) the benchmark reads. */
interface AuditAnswer { id: string; status: string; counts: Record<string, number> }
