import { HttpException } from '@nestjs/common';
import { ServerInterceptingCall, ServerInterceptor } from '@grpc/grpc-js';
import { Counter } from 'prom-client';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { Requester } from '@ledger/domain/types';
import { KeyRing } from './key-ring';

export interface AuthThrottleOptions {
  /** Failed authentications a client may have within the window before it is refused with 429. */
  failures: number;
  windowSeconds: number;
}

/** Metadata entry the gRPC server sets to the caller's address (a client's own value is replaced). */
export const PEER_METADATA = 'x-ledger-peer';

/**
 * SPEC 12: repeated failed authentications from one client (its address) are
 * answered 429 with Retry-After. Only failures count: a valid key is never
 * slowed down, and other clients keep their own budget.
 */
export class AuthThrottle {
  private readonly limiter: RateLimiterMemory;

  constructor(private readonly keys: KeyRing, options: AuthThrottleOptions, private readonly refusals: Counter<'transport'>) {
    this.limiter = new RateLimiterMemory({ points: options.failures, duration: options.windowSeconds, blockDuration: options.windowSeconds });
  }

  /** The requester of a valid key; null for a wrong key; a 429 once the client has failed too often. */
  async resolve(key: string, client: string, transport: 'http' | 'grpc'): Promise<Requester | null> {
    const requester = await this.keys.resolve(key);
    if (requester) return requester;
    await this.failed(client, transport);
    return null;
  }

  /** Counts a failure (also a missing key); throws the 429 when the budget is spent. */
  async failed(client: string, transport: 'http' | 'grpc'): Promise<void> {
    try {
      await this.limiter.consume(client);
    } catch (res) {
      if (!(res instanceof RateLimiterRes)) throw res;
      this.refusals.inc({ transport });
      const retryAfter = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
      throw new HttpException({
        code: 'too_many_requests', detail: `too many failed authentications; retry in ${retryAfter} s`, extra: { retryAfter },
      }, 429);
    }
  }
}

export function authRefusalsCounter(registry: import('prom-client').Registry): Counter<'transport'> {
  return new Counter({
    name: 'ledger_auth_throttled_total',
    help: 'Requests refused with 429 after repeated failed authentications from one client',
    labelNames: ['transport'],
    registers: [registry],
  });
}

/** gRPC server interceptor: puts the caller's address (without the port) in the metadata for the throttle. */
export const peerInterceptor: ServerInterceptor = (_method, call) => new ServerInterceptingCall(call, {
  start: (next) => next({
    onReceiveMetadata: (metadata, mdNext) => {
      metadata.set(PEER_METADATA, call.getPeer().replace(/:\d+$/, ''));
      mdNext(metadata);
    },
  }),
});
