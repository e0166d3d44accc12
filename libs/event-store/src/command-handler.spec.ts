import { LedgerError } from '@ledger/domain/errors';
import { UnreadableEventError } from '@ledger/domain/events/stored-event';
import {
  serviceDecider, serviceEvents, ServiceCommand, ServiceEvent, ServiceKey, ServiceState, serviceStreamId,
} from '@ledger/domain/service';
import { PgliteSqlClient } from '@ledger/sql';
import { CommandHandler } from './command-handler';
import { EventStore, WrongExpectedRevisionError } from './port';
import { SqlEventStore } from './sql-event-store';

const at = '2026-01-01T00:00:00.000Z';
const metadata = { actor: 'system', command: 'Test' };
let n = 0;
const nextKey = (): ServiceKey => ({ accountId: 'acme', type: 'device', serviceId: `d${++n}` });
const register = (key: ServiceKey, numbers: string[], name: string | null = 'phone'): ServiceCommand => ({ type: 'RegisterService', key, name, numbers, at });
const streamOf = (key: ServiceKey) => serviceStreamId(key.accountId, key.type, key.serviceId);

describe('CommandHandler (on PGlite)', () => {
  let sql: PgliteSqlClient;
  let store: SqlEventStore;
  let handler: CommandHandler<ServiceCommand, ServiceEvent, ServiceState>;

  beforeAll(async () => {
    sql = await PgliteSqlClient.open();
    store = new SqlEventStore(sql);
    await store.init();
    handler = new CommandHandler(store, () => serviceDecider, { codec: serviceEvents });
  });

  afterAll(async () => {
    await store.close();
    await sql.close();
  });

  /** Lets `losses` appends to `streamId` lose their race to `rival` (appended first), then restores the store. */
  async function losing<T>(streamId: string, losses: number, rival: () => Promise<unknown>, work: () => Promise<T>): Promise<T> {
    const append = store.append.bind(store);
    let lost = 0;
    store.append = async (id, batch, expected) => {
      if (id === streamId && lost < losses) {
        lost++;
        store.append = append;
        await rival();
        store.append = replaced;
      }
      return append(id, batch, expected);
    };
    const replaced = store.append;
    try {
      return await work();
    } finally {
      store.append = append;
    }
  }

  it('folds the stream, decides, appends with the expected revision and answers the new state, events and position', async () => {
    const key = nextKey();
    const first = await handler.handle(streamOf(key), register(key, ['+2', '+1']), { metadata });
    expect(first.newEvents).toEqual([{ type: 'ServiceRegistered.v1', data: { ...key, name: 'phone', numbers: ['+1', '+2'], at } }]);
    expect(first.revision).toBe(0);
    const stored = await store.readStream(streamOf(key));
    expect(stored.map((e) => [e.type, e.position, e.metadata])).toEqual([['ServiceRegistered.v1', first.position, metadata]]);

    const second = await handler.handle(streamOf(key), register(key, ['+3']), { metadata });
    expect(second.revision).toBe(1);
    expect(second.decidedOn.live?.numbers).toEqual(['+1', '+2']);
    expect(second.newState.live?.numbers).toEqual(['+3']);
    expect((await handler.load(streamOf(key))).state).toEqual(second.newState);
  });

  it('records nothing for a decision without events, and answers where the stream stands', async () => {
    const key = nextKey();
    const first = await handler.handle(streamOf(key), register(key, ['+1']), { metadata });
    const again = await handler.handle(streamOf(key), register(key, ['+1']), { metadata });
    expect(again.newEvents).toEqual([]);
    expect(again).toMatchObject({ revision: 0, position: first.position });
    expect(await store.readStream(streamOf(key))).toHaveLength(1);
  });

  it('a domain refusal appends nothing', async () => {
    const key = nextKey();
    await expect(handler.handle(streamOf(key), { type: 'RemoveService', key, at }, { metadata })).rejects.toMatchObject({ code: 'not_found' });
    expect(await store.readStream(streamOf(key))).toEqual([]);
  });

  it('a lost race is decided again on the state the winner left', async () => {
    const key = nextKey();
    await handler.handle(streamOf(key), register(key, ['+1']), { metadata });
    const rival = () => handler.handle(streamOf(key), { type: 'RemoveService', key, at }, { metadata });
    // RemoveService decided on the registered service; the rival removes it first: decided again, not_found
    await expect(losing(streamOf(key), 1, rival, () => handler.handle(streamOf(key), { type: 'RemoveService', key, at }, { metadata })))
      .rejects.toMatchObject({ code: 'not_found' });
    expect((await store.readStream(streamOf(key))).map((e) => e.type)).toEqual(['ServiceRegistered.v1', 'ServiceRemoved.v1']);
  });

  it('gives up after the bound: the port error, or the one the handler was given', async () => {
    const key = nextKey();
    let rivals = 0;
    const rival = () => handler.handle(streamOf(key), register(key, [`+${++rivals}`]), { metadata });
    await expect(losing(streamOf(key), 4, rival, () => handler.handle(streamOf(key), register(key, ['+9']), { metadata })))
      .rejects.toBeInstanceOf(WrongExpectedRevisionError);
    expect(rivals).toBe(4);

    const bounded = new CommandHandler(store, () => serviceDecider, {
      codec: serviceEvents, maxAttempts: 2, conflict: (id) => new LedgerError('concurrency_conflict', `a concurrent change to ${id} won; retry`),
    });
    rivals = 10;
    await expect(losing(streamOf(key), 2, rival, () => bounded.handle(streamOf(key), register(key, ['+9']), { metadata })))
      .rejects.toMatchObject({ code: 'concurrency_conflict' });
    expect(rivals).toBe(12);
    expect((await store.readStream(streamOf(key))).some((e) => (e.data.numbers as string[]).includes('+9'))).toBe(false);
  });

  it('decides on a known state without reading, and the append still checks its revision', async () => {
    const key = nextKey();
    const stale = await handler.load(streamOf(key));
    await handler.handle(streamOf(key), register(key, ['+1']), { metadata });
    const once = new CommandHandler(store, () => serviceDecider, { codec: serviceEvents, maxAttempts: 1 });
    const reads = spyOnReads(store);
    await expect(once.handle(streamOf(key), register(key, ['+2']), { metadata, known: stale })).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    expect(reads()).toBe(0);
  });

  it('with recheck, a refusal on the known state is decided again on the stream', async () => {
    const key = nextKey();
    const stale = await handler.load(streamOf(key));
    await handler.handle(streamOf(key), register(key, ['+1']), { metadata });
    const removed = await handler.handle(streamOf(key), { type: 'RemoveService', key, at }, { metadata, known: stale, recheck: () => false });
    expect(removed.newEvents.map((e) => e.type)).toEqual(['ServiceRemoved.v1']);
    expect(removed.revision).toBe(1);
  });

  it('beforeAppend may rewrite what is recorded or refuse it', async () => {
    const key = nextKey();
    const renamed = await handler.handle(streamOf(key), register(key, ['+1']), {
      metadata,
      beforeAppend: async (_on, events) => events.map((e) => (e.type === 'ServiceRegistered.v1' ? { ...e, data: { ...e.data, name: 'renamed' } } : e)),
    });
    expect(renamed.newState.live?.name).toBe('renamed');
    await expect(handler.handle(streamOf(key), register(key, ['+2']), {
      metadata, beforeAppend: async () => { throw new LedgerError('service_restriction', 'no'); },
    })).rejects.toMatchObject({ code: 'service_restriction' });
    expect(await store.readStream(streamOf(key))).toHaveLength(1);
  });

  it('uses the ids it is given (an idempotent retry appends nothing twice)', async () => {
    const key = nextKey();
    const ids = () => ['0b4ec9a0-0000-4000-8000-000000000001'];
    const first = await handler.handle(streamOf(key), register(key, ['+1']), { metadata, eventIds: ids });
    expect((await store.readStream(streamOf(key)))[0].id).toBe(ids()[0]);
    expect(first.revision).toBe(0);
  });

  it('a stored event it cannot read is a clear error naming the stream, revision and field', async () => {
    const key = nextKey();
    await store.append(streamOf(key), [{ id: crypto.randomUUID(), type: 'ServiceRegistered.v1', data: { ...key, name: 'x', numbers: 'oops', at }, metadata }], 'no_stream');
    await store.append(streamOf(key), [{ id: crypto.randomUUID(), type: 'ServiceRenamed.v7', data: {}, metadata }], 0);
    const failure = handler.handle(streamOf(key), register(key, ['+1']), { metadata });
    await expect(failure).rejects.toBeInstanceOf(UnreadableEventError);
    await expect(failure).rejects.toThrow(`stream ${streamOf(key)} revision 0: event ServiceRegistered.v1 cannot be read: field numbers must be array, is string`);
    const other = nextKey();
    await store.append(streamOf(other), [{ id: crypto.randomUUID(), type: 'ServiceRenamed.v7', data: {}, metadata }], 'no_stream');
    await expect(handler.load(streamOf(other))).rejects.toThrow(`stream ${streamOf(other)} revision 0: event ServiceRenamed.v7 cannot be read: unknown event type`);
  });
});

function spyOnReads(store: EventStore): () => number {
  let reads = 0;
  const readStream = store.readStream.bind(store);
  store.readStream = (...args) => {
    reads++;
    return readStream(...args);
  };
  return () => reads;
}
