import { peerInterceptor } from '../accounts/auth-throttle';
import { INestApplication } from '@nestjs/common';
import { GrpcOptions, Transport } from '@nestjs/microservices';
import type { Server } from '@grpc/grpc-js';
import type { PackageDefinition } from '@grpc/proto-loader';
import { LedgerRuntime } from '../ledger-runtime';
import { addHealthService } from './health';
import { HEALTH_PROTO, LEDGER_PACKAGE, LEDGER_PROTO, loaderOptions } from './proto-files';
import { addReflectionService } from './reflection';

export const DEFAULT_GRPC_PORT = 50051;

/** The proto sources each package comes from, as reflection clients know them. */
const SOURCE_FILES = {
  [LEDGER_PACKAGE]: LEDGER_PROTO,
  'grpc.health.v1': HEALTH_PROTO,
  'google.protobuf': 'google/protobuf/struct.proto',
};

/** `GRPC_PORT` (default 50051). */
export function grpcPortFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  return Number(env.GRPC_PORT ?? DEFAULT_GRPC_PORT);
}

export function grpcServerOptions(runtime: LedgerRuntime, url: string): GrpcOptions {
  return {
    transport: Transport.GRPC,
    options: {
      package: LEDGER_PACKAGE,
      protoPath: [LEDGER_PROTO, HEALTH_PROTO],
      url,
      loader: loaderOptions(),
      channelOptions: { interceptors: [peerInterceptor] },
      onLoadPackageDefinition: (definition: PackageDefinition, server: Server) => {
        addHealthService(server, definition, runtime);
        addReflectionService(server, definition, SOURCE_FILES);
      },
    },
  };
}

/**
 * Serves the gRPC API from the same Nest application (and so the same command and
 * query handlers) as HTTP, on its own port. Call after createHttpApp; `app.close()` stops it.
 */
export async function startGrpcServer(app: INestApplication, runtime: LedgerRuntime, port: number, host = runtime.settings.host): Promise<void> {
  app.connectMicroservice<GrpcOptions>(grpcServerOptions(runtime, `${host}:${port}`), { inheritAppConfig: false });
  await app.startAllMicroservices();
}
