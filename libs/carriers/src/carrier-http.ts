import type { IntegrationModule, UpstreamNumber } from './carrier';
import { CarrierFault, type CarrierFaultDetail } from './carrier-fault';
import type { CarrierLogger } from './carrier-logger';
import type { CarrierSettings } from './carrier-settings';
import type { SecretScrubber } from './secret-scrubber';

export interface HttpCall {
  /** Names the call in logs and errors: `search`, `order`, ... */
  operation: string;
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Appended to the module's base URL. */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
  /** Pulls the carrier's own error text out of a non-2xx body. */
  describeError?: (body: string) => string | undefined;
}

export interface HttpReply {
  status: number;
  body: string;
}

const MAX_UPSTREAM_TEXT = 200;
const MAX_LOGGED_BODY = 1000;

/**
 * One upstream HTTP exchange with the module's timeout. Every failure becomes
 * a CarrierFault whose text went through the scrubber; URLs (which may carry
 * credentials in their query) and bodies never enter error messages.
 */
export class CarrierHttp {
  constructor(
    readonly module: IntegrationModule,
    private readonly settings: CarrierSettings,
    private readonly scrubber: SecretScrubber,
    private readonly logger: CarrierLogger,
  ) {}

  async send(call: HttpCall): Promise<HttpReply> {
    const url = this.url(call);
    const timeout = AbortSignal.timeout(this.settings.timeoutMs);
    const signal = call.signal ? AbortSignal.any([timeout, call.signal]) : timeout;
    const started = Date.now();
    this.debug(`${call.operation} request`, { method: call.method, path: call.path, body: call.body });
    let reply: HttpReply;
    try {
      const response = await fetch(url, { method: call.method, headers: call.headers, body: call.body, signal });
      reply = { status: response.status, body: await response.text() };
    } catch (error) {
      throw this.transportFault(call, error, timeout, started);
    }
    this.debug(`${call.operation} response`, { status: reply.status, ms: Date.now() - started, body: reply.body });
    if (reply.status < 200 || reply.status > 299) throw this.statusFault(call, reply);
    return reply;
  }

  /** A found number whose free text (the carrier's words, shown to callers) is scrubbed of every credential form. */
  scrubbedNumber = (n: UpstreamNumber): UpstreamNumber => {
    const text = (v: string | undefined) => (v === undefined ? undefined : this.scrubber.scrub(v));
    return {
      ...n, region: text(n.region), locality: text(n.locality), rateCenter: text(n.rateCenter),
      features: n.features?.map((f) => this.scrubber.scrub(f)),
      rate: n.rate && { ...n.rate, currency: text(n.rate.currency) },
    };
  };

  /** A fault whose message is scrubbed of every credential form. */
  fault(message: string, detail: CarrierFaultDetail): CarrierFault {
    return new CarrierFault(this.module, this.scrubber.scrub(message), detail);
  }

  malformed(operation: string, what: string): CarrierFault {
    return this.fault(`${this.module} ${operation}: malformed response (${what})`, { retriable: false, kind: 'malformed' });
  }

  debug(message: string, fields: Record<string, unknown>): void {
    if (!this.settings.debug) return;
    const safe: Record<string, unknown> = { module: this.module };
    for (const [key, value] of Object.entries(fields)) {
      safe[key] = typeof value === 'string' ? this.scrubber.scrub(value.slice(0, MAX_LOGGED_BODY)) : value;
    }
    this.logger.debug(safe, this.scrubber.scrub(`${this.module} ${message}`));
  }

  warn(message: string, fields: Record<string, unknown> = {}): void {
    this.logger.warn({ module: this.module, ...fields }, this.scrubber.scrub(`${this.module} ${message}`));
  }

  private url(call: HttpCall): string {
    let url: URL;
    try {
      url = new URL(this.settings.baseUrl.replace(/\/+$/, '') + call.path);
    } catch {
      throw this.fault(`${this.module} ${call.operation}: invalid baseUrl setting`, { retriable: false, kind: 'invalid_request' });
    }
    for (const [name, value] of Object.entries(call.query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    return url.toString();
  }

  private transportFault(call: HttpCall, error: unknown, timeout: AbortSignal, started: number): CarrierFault {
    const ms = Date.now() - started;
    if (timeout.aborted) {
      return this.fault(`${this.module} ${call.operation}: timed out after ${this.settings.timeoutMs} ms`, { retriable: true, kind: 'timeout' });
    }
    if (call.signal?.aborted) {
      return this.fault(`${this.module} ${call.operation}: aborted after ${ms} ms`, { retriable: true, kind: 'aborted' });
    }
    // Only the error code: undici messages can quote the request URL.
    const code = (error as { cause?: { code?: unknown } })?.cause?.code;
    const reason = typeof code === 'string' ? code : 'connection failed';
    return this.fault(`${this.module} ${call.operation}: network error (${reason})`, { retriable: true, kind: 'network' });
  }

  private statusFault(call: HttpCall, reply: HttpReply): CarrierFault {
    let upstream: string | undefined;
    try {
      upstream = call.describeError?.(reply.body);
    } catch {
      upstream = undefined;
    }
    // Scrubbed before it is cut: a credential cut in half would no longer be recognised.
    const text = upstream ? `: ${this.scrubber.scrub(upstream.replace(/\s+/g, ' ').trim()).slice(0, MAX_UPSTREAM_TEXT)}` : '';
    const retriable = reply.status >= 500 || reply.status === 429;
    return this.fault(`${this.module} ${call.operation}: HTTP ${reply.status}${text}`, { status: reply.status, retriable, kind: 'http' });
  }
}
