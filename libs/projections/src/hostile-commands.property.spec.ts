/**
 * SPEC 12, property: whatever a client sends, a command is either refused with a
 * 4xx code (and nothing is appended) or its events are appended to a real event
 * store and applied by every projection to a real PGlite read-model database.
 * Generated commands mix valid values with hostile ones (NUL, lone surrogates,
 * huge strings and numbers, floats, deep values, wrong types).
 */
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import {
  ACCOUNT_EVENT_TYPES, accountStreamId, checkNewAccount, decide, defaultConfig, ERROR_STATUS, evolve, FEATURES, foldNumber,
  InMemoryAccountDirectory, LedgerError, NUMBER_STATES, numberStreamId, SERVICE_TYPES,
  type AccountInfo, type NumberCommand, type NumberRecord,
} from '@ledger/domain';
import { ACCOUNTS } from '@ledger/domain/test/fixture';
import { SqlEventStore } from '@ledger/event-store/sql-event-store';
import { PgliteSqlClient } from '@ledger/sql';
import { AccountsProjection, AuditsProjection, BillingProjection, InventoryProjection, Projector, TasksProjection, UsageProjection } from '.';

const hostileText = fc.oneof(
  fc.constantFrom('\u0000', 'a\u0000b', 'a\ud800', '\udc00b', '\u0007', 'x'.repeat(5000), 'x'.repeat(20_000), ''),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({ maxLength: 12 }),
);
const hostileNumber = fc.oneof(
  fc.constantFrom(2_147_483_648, 1e308, -1, 1.5, Number.MAX_SAFE_INTEGER, -0, 2_147_483_647, 0, 10),
  fc.double(),
  fc.integer(),
);
const anyScalar = fc.oneof(hostileText, hostileNumber, fc.boolean(), fc.constant(null), fc.constant(undefined));
const deep = fc.integer({ min: 1, max: 3000 }).map((n) => {
  let v: unknown = 'x';
  for (let i = 0; i < n; i++) v = { a: v };
  return v;
});
const anyValue = fc.oneof(anyScalar, deep, fc.array(anyScalar, { maxLength: 3 }), fc.dictionary(hostileText, anyScalar, { maxKeys: 3 }));

const accountId = fc.oneof(fc.constantFrom('system', ...ACCOUNTS.map((a) => a.id), 'gone'), hostileText, hostileNumber as fc.Arbitrary<never>);
const requester = fc.constantFrom('system', 'system', 'admin', 'reseller', 'child', 'other');
const featureValue = fc.oneof(
  fc.constantFrom({ street_address: '1 Main St', postal_code: '94103' }, { name: 'sales' }, { inbound: true }, { e164: '+14155550199' }, true, null),
  fc.record({ street_address: anyScalar, name: anyScalar, display_name: anyScalar }, { requiredKeys: [] }),
  anyValue,
);
const featureName = fc.oneof(fc.constantFrom(...FEATURES), hostileText);

const command: fc.Arbitrary<NumberCommand> = fc.oneof(
  fc.record({
    type: fc.constant('AddNumber' as const),
    state: fc.oneof(fc.constantFrom(...NUMBER_STATES), hostileText),
    carrierModule: fc.oneof(fc.constantFrom('knm_inventory', 'knm_local', 'knm_managed'), hostileText),
    accountId,
  }, { requiredKeys: ['type'] }),
  fc.record({ type: fc.constant('ReserveNumber' as const), accountId, expiresAt: fc.oneof(fc.constantFrom('2030-01-01T00:00:00Z', '+275760-09-13T00:00:00.000Z', 'tomorrow'), hostileText) }, { requiredKeys: ['type'] }),
  fc.record({ type: fc.constant('AcquireNumber' as const), accountId }, { requiredKeys: ['type'] }),
  fc.record({ type: fc.constant('PortIn' as const), accountId }, { requiredKeys: ['type'] }),
  fc.record({ type: fc.constant('ReleaseNumber' as const), reason: fc.oneof(fc.constant('requested'), hostileText) }, { requiredKeys: ['type'] }),
  fc.record({ type: fc.constant('DeleteNumber' as const) }),
  fc.record({ type: fc.constant('SetFeatures' as const), changes: fc.dictionary(featureName, featureValue, { maxKeys: 3 }) }),
  fc.record({
    type: fc.constant('SetUsage' as const),
    usedBy: fc.array(fc.record({ type: fc.oneof(fc.constantFrom(...SERVICE_TYPES), hostileText), id: fc.oneof(fc.constant('u1'), hostileText), accountId }), { maxLength: 3 }),
  }),
) as fc.Arbitrary<NumberCommand>;

const newAccount = fc.record({
  name: fc.oneof(fc.constant('Acme'), hostileText),
  maxBillableNumbers: fc.oneof(hostileNumber, hostileText as fc.Arbitrary<never>, fc.constant(null)),
  reseller: fc.oneof(fc.boolean(), anyScalar as fc.Arbitrary<never>),
});

type Step = { kind: 'number'; n: number; as: string; command: NumberCommand } | { kind: 'account'; account: Record<string, unknown> };
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('number' as const), n: fc.integer({ min: 0, max: 2 }), as: requester, command }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('account' as const), account: newAccount }) },
);

/** A bound for the run on a busy machine (a wait, not an assertion on time). */
const BOUND_MS = 240_000;

describe('SPEC 12 - generated commands: refused with a 4xx, or appended and applied by every projection', () => {
  let sql: PgliteSqlClient;
  let store: SqlEventStore;
  let projector: Projector;
  const directory = new InMemoryAccountDirectory(ACCOUNTS);
  let run = 0;
  const outcomes = { appended: 0, refused: 0 };

  beforeAll(async () => {
    sql = await PgliteSqlClient.open();
    store = new SqlEventStore(sql);
    await store.init();
    projector = new Projector(store, sql, [
      new InventoryProjection(), new AccountsProjection(), new TasksProjection(), new UsageProjection(), new BillingProjection(), new AuditsProjection(),
    ]);
    await projector.migrate();
    for (const a of ACCOUNTS) await appendAccount(a);
    await projector.catchUp();
  }, BOUND_MS);

  afterAll(async () => {
    await store?.close();
    await sql?.close();
  });

  async function appendAccount(a: AccountInfo): Promise<void> {
    await store.append(accountStreamId(a.id), [{
      id: randomUUID(), type: ACCOUNT_EVENT_TYPES.AccountCreated, data: { ...a, at: new Date().toISOString() }, metadata: { actor: 'system' },
    }], 'no_stream');
  }

  /** Refused (4xx LedgerError) or null when accepted; anything else fails the property. */
  function refusal(work: () => void): number | null {
    try {
      work();
      return null;
    } catch (err) {
      if (!(err instanceof LedgerError)) throw err;
      expect(ERROR_STATUS[err.code]).toBeGreaterThanOrEqual(400);
      expect(ERROR_STATUS[err.code]).toBeLessThan(500);
      outcomes.refused++;
      return ERROR_STATUS[err.code];
    }
  }

  async function take(s: Step, numbers: string[], records: NumberRecord[]): Promise<void> {
    const head = await store.headPosition();
    if (s.kind === 'account') {
      const account = { id: `acct-${randomUUID()}`, parentId: 'system', superAdmin: false, allowNumberAdditions: false, ...s.account } as AccountInfo;
      if (refusal(() => checkNewAccount(account)) !== null) return void expect(await store.headPosition()).toBe(head);
      await appendAccount(account);
      directory.upsert(account);
    } else {
      const ctx = { now: new Date(), requester: { accountId: s.as, isSystem: s.as === 'system' }, accounts: directory, config: defaultConfig() };
      let events: ReturnType<typeof decide> = [];
      if (refusal(() => { events = decide(numbers[s.n], s.command, records[s.n], ctx); }) !== null || events.length === 0) {
        return void expect(await store.headPosition()).toBe(head);
      }
      const record = records[s.n];
      await store.append(
        numberStreamId(numbers[s.n]),
        events.map(({ type, ...data }) => ({ id: randomUUID(), type, data, metadata: { actor: s.as, command: s.command.type } })),
        record.version === 0 ? 'no_stream' : record.version - 1,
      );
      records[s.n] = events.reduce(evolve, record);
    }
    outcomes.appended++;
    await projector.catchUp();
    expect(projector.checkpoint).toBe(await store.headPosition());
  }

  it('holds for 40 generated sequences of commands (fixed seed)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 10 }), async (steps) => {
        run++;
        const numbers = [0, 1, 2].map((i) => `+1415${200 + run}${String(i).padStart(4, '0')}`);
        const records = numbers.map((n) => foldNumber(n, []));
        // two numbers in service for `child` (so most commands meet a live number), the third absent
        for (const n of [0, 1]) {
          await take({ kind: 'number', n, as: 'system', command: { type: 'AddNumber', state: 'in_service', accountId: 'child', carrierModule: 'knm_inventory' } }, numbers, records);
        }
        for (const s of steps) await take(s, numbers, records);
      }),
      { seed: 12_2026, numRuns: 40, endOnFailure: true },
    );
    // not vacuous: both outcomes happen often
    expect(outcomes.appended).toBeGreaterThan(50);
    expect(outcomes.refused).toBeGreaterThan(50);
  }, BOUND_MS);
});
