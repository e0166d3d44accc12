import { Server, ServerUnaryCall, ServerWritableStream, ServiceDefinition, status, sendUnaryData } from '@grpc/grpc-js';
import { PackageDefinition } from '@grpc/proto-loader';
import { LedgerRuntime } from '../ledger-runtime';
import { LEDGER_SERVICES } from './proto-files';

type ServingStatus = 'SERVING' | 'NOT_SERVING' | 'SERVICE_UNKNOWN';
const WATCH_INTERVAL_MS = 5000;

/** Serving when both stores answer and the projections are not failing (as GET /ready). */
async function readiness(runtime: LedgerRuntime): Promise<'SERVING' | 'NOT_SERVING'> {
  try {
    await runtime.stores.sql.query('SELECT 1');
    await runtime.stores.events.headPosition();
    return runtime.projector.failure == null ? 'SERVING' : 'NOT_SERVING';
  } catch {
    return 'NOT_SERVING';
  }
}

const known = (service: string) => service === '' || LEDGER_SERVICES.includes(service);

/** `grpc.health.v1.Health` for the whole server ("") and each ledger service. */
export function addHealthService(server: Server, definition: PackageDefinition, runtime: LedgerRuntime): void {
  const check = async (service: string): Promise<ServingStatus> => (known(service) ? readiness(runtime) : 'SERVICE_UNKNOWN');
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
