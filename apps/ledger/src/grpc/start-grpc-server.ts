import { peerInterceptor } from '../accounts/auth-throttle';
import { INestApplication } from '@nestjs/common';
import { GrpcOptions, Transport } from '@nestjs/microservices';
import type { Server } from '@grpc/grpc-js';
import type { PackageDefinition } from '@grpc/proto-loader';
import type { EventStore } from '@ledger/event-store/port';
import { Projector } from '@ledger/projections/projector';
import type { SqlClient } from '@ledger/sql/sql-client';
import type { LedgerSettings } from '../core/ledger-settings';
import { SETTINGS, EVENTS, SQL } from '../core/tokens';
import { addHealthService, type HealthProbes } from './health';
import { inputBoundsInterceptor, readUnreadableAsMarked } from './input-bounds.interceptor';
import { HEALTH_PROTO, LEDGER_PACKAGE, LEDGER_PROTO, loaderOptions } from './proto-files';
import { addReflectionService } from './reflection';

/** The proto sources each package comes from, as reflection clients know them. */
const SOURCE_FILES = {
  [LEDGER_PACKAGE]: LEDGER_PROTO,
  'grpc.health.v1': HEALTH_PROTO,
  'google.protobuf': 'google/protobuf/struct.proto',
};

export function grpcServerOptions(probes: HealthProbes, url: string): GrpcOptions {
  return {
    transport: Transport.GRPC,
    options: {
      package: LEDGER_PACKAGE,
      protoPath: [LEDGER_PROTO, HEALTH_PROTO],
      url,
      loader: loaderOptions(),
      // Every method: the peer for the auth throttle; string bounds on requests and a bounded grpc-message on answers.
      channelOptions: { interceptors: [peerInterceptor, inputBoundsInterceptor] },
      onLoadPackageDefinition: (definition: PackageDefinition, server: Server) => {
        readUnreadableAsMarked(definition);
        addHealthService(server, definition, probes);
        addReflectionService(server, definition, SOURCE_FILES);
      },
    },
  };
}

/**
 * Serves the gRPC API from the same Nest application (and so the same command and
 * query handlers) as HTTP, on its own port. Call after createHttpApp; `app.close()` stops it.
 */
export async function startGrpcServer(app: INestApplication, port?: number, host?: string): Promise<void> {
  const settings = app.get<LedgerSettings>(SETTINGS);
  const probes = { sql: app.get<SqlClient>(SQL), events: app.get<EventStore>(EVENTS), projector: app.get(Projector) };
  const url = `${host ?? settings.host}:${port ?? settings.grpcPort}`;
  app.connectMicroservice<GrpcOptions>(grpcServerOptions(probes, url), { inheritAppConfig: false });
  await app.startAllMicroservices();
}
