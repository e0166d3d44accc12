import type { AddressInfo, Server } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import 'reflect-metadata';
import { createHttpApp } from '../apps/ledger/src/create-http-app';
import { settingsFromEnv } from '../apps/ledger/src/core/ledger-settings';
import { AccountTree } from '../apps/ledger/src/accounts/account-tree';
import { EVENTS } from '../apps/ledger/src/core/tokens';
import { EventStore, LogPosition } from '@ledger/event-store/port';
import { Projector } from '@ledger/projections/projector';

export interface InProcessService {
  projector: Projector;
  events: EventStore;
  accounts: AccountTree;
  /** http://127.0.0.1:<port> */
  base: string;
  close(): Promise<void>;
}

/**
 * The service in the benchmark's own process, on `databaseUrl`, for benchmarks whose
 * fixtures are bulk loaded beside it; `work` gets a starter (call it again after
 * reloading tables behind the service's back) and everything is closed afterwards.
 */
export async function withInProcessService<T>(
  databaseUrl: string,
  work: (start: () => Promise<InProcessService>) => Promise<T>,
): Promise<T> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-service-'));
  const settings = { ...settingsFromEnv({}), databaseUrl, dataDir, systemKey: 'bench-system-key', sweepIntervalMs: 0 };
  const open: InProcessService[] = [];
  const start = async (): Promise<InProcessService> => {
    const app = await createHttpApp({ settings, log: () => undefined });
    await app.listen(0, '127.0.0.1');
    const service = {
      projector: app.get(Projector),
      events: app.get<EventStore>(EVENTS),
      accounts: app.get(AccountTree),
      base: `http://127.0.0.1:${((app.getHttpServer() as Server).address() as AddressInfo).port}`,
      close: async () => {
        open.splice(open.indexOf(service), 1);
        await app.close();
      },
    };
    open.push(service);
    return service;
  };
  try {
    return await work(start);
  } finally {
    for (const service of [...open]) await service.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Accounts appended as events (as `POST /v1/accounts` records them); returns the last position. */
export async function appendAccounts(events: EventStore, accounts: Array<{ id: string; parentId: string }>): Promise<LogPosition> {
  let position = '0:0';
  for (const { id, parentId } of accounts) {
    const r = await events.append(`account-${id}`, [{
      id: randomUUID(), type: 'AccountCreated.v1', metadata: { actor: 'system', command: 'CreateAccount' },
      data: { id, name: id, parentId, reseller: false, superAdmin: false, allowNumberAdditions: false, at: new Date().toISOString() },
    }], 'no_stream');
    position = r.position;
  }
  return position;
}
