/**
 * A wire-level stand-in for a single EventStoreDB node (gRPC, plaintext), for tests only:
 * the real client library talks to it exactly as to the real server.
 */
import * as grpc from '@grpc/grpc-js';
import { StreamsService } from '@eventstore/db-client/generated/streams_grpc_pb';
import { InMemoryLog } from './in-memory-log';
import { appendHandler } from './append-handler';
import { batchAppendHandler } from './batch-append-handler';
import { readHandler } from './read-handlers';
import { ActiveSubscriptions } from './subscription';
import { clusterServices } from './cluster-services';

export interface EsdbTestServer {
  /** `esdb://127.0.0.1:PORT?tls=false` */
  url: string;
  stop(): Promise<void>;
  /** Ends every open call and connection, as a network fault would; the server accepts new ones right after. */
  dropConnections(): void;
  /** The node goes away (connections refused) until `comeBack()`; its data stays. */
  goDown(): void;
  comeBack(): Promise<void>;
  /** Subscriptions to $all opened so far, reconnections included. */
  subscriptionsOpened(): number;
}

export interface EsdbTestServerOptions {
  /**
   * Offer Streams.BatchAppend, as servers since 21.10 do; the client then appends through it.
   * Without it the client falls back to the plain Append of older servers. Default: true.
   */
  batchAppend?: boolean;
  /** Answer idempotent re-appends with a position, as recent servers do. Default: true. */
  positionOnRetries?: boolean;
}

const HOST = '127.0.0.1';

export async function startEsdbTestServer(options: EsdbTestServerOptions = {}): Promise<EsdbTestServer> {
  const batchAppend = options.batchAppend ?? true;
  const log = new InMemoryLog(options.positionOnRetries ?? true);
  seedSystemEvents(log);
  const subscriptions = new ActiveSubscriptions();
  let port = 0;
  const build = (): grpc.Server => createServer(log, subscriptions, () => port, batchAppend);
  let server = build();
  port = await bind(server, 0);
  let rebinding: Promise<unknown> = Promise.resolve();
  return {
    url: `esdb://${HOST}:${port}?tls=false`,
    async stop() {
      await rebinding;
      subscriptions.closeAll();
      server.forceShutdown();
    },
    dropConnections() {
      subscriptions.closeAll();
      server.forceShutdown();
      server = build();
      rebinding = bindWithRetry(server, port);
      rebinding.catch(() => undefined); // surfaces in stop()
    },
    goDown() {
      subscriptions.closeAll();
      server.forceShutdown();
    },
    async comeBack() {
      server = build();
      rebinding = bindWithRetry(server, port);
      await rebinding;
    },
    subscriptionsOpened: () => subscriptions.opened,
  };
}

function createServer(
  log: InMemoryLog,
  subscriptions: ActiveSubscriptions,
  port: () => number,
  batchAppend: boolean,
): grpc.Server {
  const server = new grpc.Server();
  const streams: grpc.UntypedServiceImplementation = {
    read: readHandler(log, subscriptions),
    append: appendHandler(log),
  };
  if (batchAppend) streams.batchAppend = batchAppendHandler(log);
  server.addService(StreamsService, streams);
  for (const [service, implementation] of clusterServices(HOST, port, batchAppend)) {
    server.addService(service, implementation);
  }
  return server;
}

function bind(server: grpc.Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.bindAsync(`${HOST}:${port}`, grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    );
  });
}

async function bindWithRetry(server: grpc.Server, port: number): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await bind(server, port);
      return;
    } catch (error) {
      if (attempt >= 50) throw error;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

/** A fresh real node already holds system events; adapters must skip them. */
function seedSystemEvents(log: InMemoryLog): void {
  const json = (value: unknown): Uint8Array => Buffer.from(JSON.stringify(value), 'utf8');
  const system = (id: string, type: string, data: unknown) => ({
    id,
    type,
    contentType: 'application/json',
    data: json(data),
    metadata: new Uint8Array(),
  });
  log.append('$users', { kind: 'any' }, [system('6f1e6c1e-0000-4000-8000-000000000001', '$User', { loginName: 'admin' })]);
  log.append('$stats-127.0.0.1:2113', { kind: 'any' }, [
    system('6f1e6c1e-0000-4000-8000-000000000002', '$statsCollected', { 'proc-id': 1 }),
  ]);
}
