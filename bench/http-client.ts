import { Agent, IncomingHttpHeaders, request } from 'node:http';

/** A keep-alive JSON client for load generation (one socket per concurrent client). */
export class HttpJsonClient {
  private readonly agent: Agent;
  private readonly url: URL;

  constructor(baseUrl: string, private readonly key: string, sockets: number) {
    this.url = new URL(baseUrl);
    this.agent = new Agent({ keepAlive: true, maxSockets: sockets });
  }

  send(method: string, path: string, body?: unknown): Promise<{ status: number; body: string; headers: IncomingHttpHeaders }> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: this.url.hostname, port: this.url.port, method, path, agent: this.agent,
          headers: { authorization: `Bearer ${this.key}`, ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString(), headers: res.headers }));
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
