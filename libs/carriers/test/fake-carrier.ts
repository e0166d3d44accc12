import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { IntegrationModule } from '../src/carrier';
import type { CarrierLogger } from '../src/carrier-logger';
import type { CarrierSettingsInput } from '../src/carrier-settings';

export interface SeenRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface FakeReply {
  status?: number;
  body?: string;
  contentType?: string;
  /** Never answer (timeout tests). */
  hang?: boolean;
}

export type Route = (req: SeenRequest) => FakeReply;

const FIXTURES = join(__dirname, '..', 'test-fixtures');

export const recorded = (name: string): string => readFileSync(join(FIXTURES, 'recorded', name), 'utf8');
export const written = (name: string): string => readFileSync(join(FIXTURES, 'written', name), 'utf8');

export const xml = (body: string, status = 200): FakeReply => ({ status, body, contentType: 'application/xml' });
export const json = (body: string | object, status = 200): FakeReply =>
  ({ status, body: typeof body === 'string' ? body : JSON.stringify(body), contentType: 'application/json' });

/** A local HTTP server replaying fixtures and recording every request it got. */
export class FakeCarrier {
  private constructor(private readonly server: Server, readonly url: string, readonly requests: SeenRequest[]) {}

  static async start(route: Route): Promise<FakeCarrier> {
    const requests: SeenRequest[] = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://fake');
        const seen: SeenRequest = {
          method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        };
        requests.push(seen);
        const reply = route(seen);
        if (reply.hang) return;
        res.writeHead(reply.status ?? 200, { 'Content-Type': reply.contentType ?? 'text/plain' });
        res.end(reply.body ?? '');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return new FakeCarrier(server, `http://127.0.0.1:${port}`, requests);
  }

  /** Requests whose path matches. */
  seen(method: string, path: string | RegExp): SeenRequest[] {
    return this.requests.filter((r) => r.method === method && (typeof path === 'string' ? r.path === path : path.test(r.path)));
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Captures everything a client logs, as one string per line. */
export function captureLogs(): { logger: CarrierLogger; lines: string[] } {
  const lines: string[] = [];
  const push = (fields: Record<string, unknown>, message: string) => lines.push(`${message} ${JSON.stringify(fields)}`);
  return { logger: { debug: push, warn: push }, lines };
}

/** A credential value distinctive enough that any leak is unmistakable. */
export const SECRET = 'Zebra-s3cr3t&<42>';

/** Settings pointing a module at the fake server, with every credential set to SECRET-derived values. */
export function settingsFor(module: IntegrationModule, baseUrl: string, extra: CarrierSettingsInput = {}): CarrierSettingsInput {
  const credentials = {
    knm_telnyx: { token: `tok-${SECRET}` },
    knm_bandwidth2: { user: `user-${SECRET}`, password: `pw-${SECRET}`, accountId: `acct-${SECRET}` },
    knm_vitelity: { user: `user-${SECRET}`, password: `pw-${SECRET}` },
    knm_voip_innovations: { user: `user-${SECRET}`, password: `pw-${SECRET}` },
    knm_other: { token: `tok-${SECRET}` },
  }[module];
  return { baseUrl, credentials, timeoutMs: 10_000, orderPoll: { attempts: 3, intervalMs: 5 }, ...extra };
}
