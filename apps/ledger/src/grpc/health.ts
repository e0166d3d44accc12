import { Server, ServerUnaryCall, ServerWritableStream, ServiceDefinition, status, sendUnaryData } from '@grpc/grpc-js';
import { PackageDefinition } from '@grpc/proto-loader';
import type { EventStore } from '@ledger/event-store/port';
import type { Projector } from '@ledger/projections/projector';
import type { SqlClient } from '@ledger/sql/sql-client';
import { LEDGER_SERVICES } from './proto-files';

/** What readiness asks: both stores, and whether a projection is failing. */
export interface HealthProbes {
  sql: SqlClient;
  events: EventStore;
  projector: Projector;
}

type ServingStatus = 'SERVING' | 'NOT_SERVING' | 'SERVICE_UNKNOWN';
const WATCH_INTERVAL_MS = 5000;

/** Serving when both stores answer and the projections are not failing (as GET /ready). */
async function readiness(probes: HealthProbes): Promise<'SERVING' | 'NOT_SERVING'> {
  try {
    await probes.sql.query('SELECT 1');
    await probes.events.headPosition();
    return probes.projector.failure == null ? 'SERVING' : 'NOT_SERVING';
  } catch {
    return 'NOT_SERVING';
  }
}

const known = (service: string) => service === '' || LEDGER_SERVICES.includes(service);

/** `grpc.health.v1.Health` for the whole server ("") and each ledger service. */
export function addHealthService(server: Server, definition: PackageDefinition, probes: HealthProbes): void {
  const check = async (service: string): Promise<ServingStatus> => (known(service) ? readiness(probes) : 'SERVICE_UNKNOWN');
  server.addService(definition['grpc.health.v1.Health'] as ServiceDefinition, {
    Check: (call: ServerUnaryCall<{ service?: string }, unknown>, callback: sendUnaryData<unknown>) => {
      void check(call.request.service ?? '').then((s) =>
        s === 'SERVICE_UNKNOWN' ? callback({ code: status.NOT_FOUND, details: `unknown service ${call.request.service}` }) : callback(null, { status: s }),
      );
    },
    Watch: (call: ServerWritableStream<{ service?: string }, unknown>) => {
      let last: ServingStatus | null = null;
      const send = async () => {
        const s = await check(call.request.service ?? '');
        if (s !== last && !call.cancelled) call.write({ status: s });
        last = s;
      };
      void send();
      const timer = setInterval(() => void send(), WATCH_INTERVAL_MS);
      timer.unref();
      call.on('cancelled', () => clearInterval(timer));
      call.on('close', () => clearInterval(timer));
    },
  });
}
