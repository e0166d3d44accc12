import { Client, ClientReadableStream, credentials, loadPackageDefinition, Metadata, ServiceClientConstructor, ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { HEALTH_PROTO, LEDGER_PROTO, loaderOptions } from './proto-files';

type Service = 'Accounts' | 'Numbers' | 'Billing' | 'Services' | 'Audits' | 'Tasks' | 'CarrierReconciliations' | 'Log';
/** The packages the proto files declare, as proto-loader builds them. */
interface LoadedPackages {
  numbers: { ledger: { v1: Record<Service, ServiceClientConstructor> } };
  grpc: { health: { v1: { Health: ServiceClientConstructor } } };
}
type UnaryRpc = (request: object, metadata: Metadata, callback: (err: ServiceError | null, reply: unknown) => void) => void;
type StreamingRpc = (request: object, metadata: Metadata) => ClientReadableStream<unknown>;

/**
 * A reply as the proto declares it: tests and benchmarks read the fields they expect, and this
 * client does not know each rpc's message type.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above: the reply type is the caller's to state
export type GrpcReply = any;

/**
 * A small promise-based client of the ledger's gRPC API (for tests, benchmarks and
 * internal callers in Node): `call('Numbers', 'AcquireNumber', request, {key})`.
 */
export class LedgerGrpcClient {
  private readonly clients = new Map<string, Client>();
  private readonly classes: Record<Service | 'Health', ServiceClientConstructor>;

  constructor(readonly address: string) {
    const definition = loadSync([LEDGER_PROTO, HEALTH_PROTO], loaderOptions());
    const root = loadPackageDefinition(definition) as unknown as LoadedPackages;
    const ledger = root.numbers.ledger.v1;
    this.classes = {
      Accounts: ledger.Accounts, Numbers: ledger.Numbers, Billing: ledger.Billing, Services: ledger.Services, CarrierReconciliations: ledger.CarrierReconciliations,
      Audits: ledger.Audits, Tasks: ledger.Tasks, Log: ledger.Log, Health: root.grpc.health.v1.Health,
    };
  }

  call<T = GrpcReply>(service: Service | 'Health', method: string, request: object, options: CallOptions = {}): Promise<T> {
    return new Promise((resolve, reject) => {
      const client = this.client(service);
      this.rpc<UnaryRpc>(client, method).call(client, request, metadataOf(options), (err, reply) => (err ? reject(err) : resolve(reply as T)));
    });
  }

  /** A server-streaming call, collected. */
  stream<T = GrpcReply>(service: Service | 'Health', method: string, request: object, options: CallOptions = {}): Promise<T[]> {
    return new Promise((resolve, reject) => {
      const items: T[] = [];
      const client = this.client(service);
      const call = this.rpc<StreamingRpc>(client, method).call(client, request, metadataOf(options));
      call.on('data', (item: T) => items.push(item));
      call.on('error', reject);
      call.on('end', () => resolve(items));
    });
  }

  close(): void {
    for (const client of this.clients.values()) client.close();
    this.clients.clear();
  }

  private client(service: Service | 'Health'): Client {
    let client = this.clients.get(service);
    if (!client) {
      client = new this.classes[service](this.address, credentials.createInsecure());
      this.clients.set(service, client);
    }
    return client;
  }

  /** The generated client's method for an rpc (called with the client as `this`). */
  private rpc<F>(client: Client, method: string): F {
    return (client as unknown as Record<string, F>)[method];
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
