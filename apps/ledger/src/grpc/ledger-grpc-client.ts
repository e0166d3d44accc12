import { ChannelCredentials, Client, credentials, loadPackageDefinition, Metadata, ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { HEALTH_PROTO, LEDGER_PROTO, loaderOptions } from './proto-files';

type Service = 'Accounts' | 'Numbers' | 'Billing' | 'Services' | 'Audits' | 'Tasks' | 'CarrierReconciliations' | 'Log';
type ClientClass = new (address: string, creds: ChannelCredentials) => Client;

/**
 * A small promise-based client of the ledger's gRPC API (for tests, benchmarks and
 * internal callers in Node): `call('Numbers', 'AcquireNumber', request, {key})`.
 */
export class LedgerGrpcClient {
  private readonly clients = new Map<string, Client & Record<string, any>>();
  private readonly classes: Record<string, ClientClass>;

  constructor(readonly address: string) {
    const definition = loadSync([LEDGER_PROTO, HEALTH_PROTO], loaderOptions());
    const root = loadPackageDefinition(definition) as any;
    const ledger = root.numbers.ledger.v1;
    this.classes = {
      Accounts: ledger.Accounts, Numbers: ledger.Numbers, Billing: ledger.Billing, Services: ledger.Services, CarrierReconciliations: ledger.CarrierReconciliations,
      Audits: ledger.Audits, Tasks: ledger.Tasks, Log: ledger.Log, Health: root.grpc.health.v1.Health,
    };
  }

  call<T = any>(service: Service | 'Health', method: string, request: object, options: CallOptions = {}): Promise<T> {
    return new Promise((resolve, reject) => {
      this.client(service)[method](request, metadataOf(options), (err: ServiceError | null, reply: T) => (err ? reject(err) : resolve(reply)));
    });
  }

  /** A server-streaming call, collected. */
  stream<T = any>(service: Service | 'Health', method: string, request: object, options: CallOptions = {}): Promise<T[]> {
    return new Promise((resolve, reject) => {
      const items: T[] = [];
      const call = this.client(service)[method](request, metadataOf(options));
      call.on('data', (item: T) => items.push(item));
      call.on('error', reject);
      call.on('end', () => resolve(items));
    });
  }

  close(): void {
    for (const client of this.clients.values()) client.close();
    this.clients.clear();
  }

  private client(service: string): Client & Record<string, any> {
    let client = this.clients.get(service);
    if (!client) {
      client = new this.classes[service](this.address, credentials.createInsecure()) as Client & Record<string, any>;
      this.clients.set(service, client);
    }
    return client;
  }
}

export interface CallOptions {
  /** Bearer key; omitted: no authorization entry. */
  key?: string;
  idempotencyKey?: string;
  metadata?: Record<string, string>;
}

function metadataOf(options: CallOptions): Metadata {
  const metadata = new Metadata();
  if (options.key) metadata.set('authorization', `Bearer ${options.key}`);
  if (options.idempotencyKey) metadata.set('idempotency-key', options.idempotencyKey);
  for (const [k, v] of Object.entries(options.metadata ?? {})) metadata.set(k, v);
  return metadata;
}
