import { HttpException, Injectable, UnauthorizedException } from '@nestjs/common';
import type { Metadata } from '@grpc/grpc-js';
import { createHash, randomUUID } from 'node:crypto';
import { Requester } from '@ledger/domain/types';
import { checkJson } from '@ledger/domain/validation';
import { AuthThrottle, PEER_METADATA } from '../accounts/auth-throttle';
import { IdempotencyStore } from '../http/idempotency.store';
import { checkedCorrelationId, RequestContext } from '../core/request-context';
import { Dto, validatedDto } from '../core/validated-dto';

/**
 * What every gRPC entry shares: the caller from the `authorization` metadata (same
 * keys as HTTP), `idempotency-key` replays from the same store as HTTP, and the HTTP
 * DTOs' validation rules.
 */
@Injectable()
export class GrpcCaller {
  constructor(private readonly throttle: AuthThrottle, private readonly idempotency: IdempotencyStore) {}

  /** One lookup of the key per call, whoever asks first (the tenant view, then the handler). */
  private readonly authenticated = new WeakMap<Metadata, Promise<Requester>>();

  requester(metadata: Metadata): Promise<Requester> {
    let requester = this.authenticated.get(metadata);
    if (!requester) {
      requester = this.authenticate(metadata);
      this.authenticated.set(metadata, requester);
    }
    return requester;
  }

  private async authenticate(metadata: Metadata): Promise<Requester> {
    const header = single(metadata, 'authorization');
    const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    const client = single(metadata, PEER_METADATA) ?? 'unknown';
    if (!match) {
      await this.throttle.failed(client, 'grpc');
      throw new UnauthorizedException('an authorization: Bearer <key> metadata entry is required');
    }
    const requester = await this.throttle.resolve(match[1], client, 'grpc');
    if (!requester) throw new UnauthorizedException('the key is not valid');
    return requester;
  }

  /**
   * Runs a command for the caller. With an `idempotency-key`, a repeat of the same rpc
   * and request answers the first reply again; the same key on another request is refused.
   */
  async command<R extends object>(metadata: Metadata, rpc: string, request: unknown, run: (ctx: RequestContext) => Promise<R>): Promise<R> {
    const requester = await this.requester(metadata);
    checkJson(request, 'request');
    const key = single(metadata, 'idempotency-key');
    const correlationId = checkedCorrelationId(single(metadata, 'x-request-id')) ?? randomUUID();
    const ctx: RequestContext = { requester, idempotencyKey: key, correlationId };
    if (!key) return run(ctx);
    if (key.length > 200) throw new HttpException({ code: 'validation_failed', detail: 'idempotency-key is longer than 200 characters' }, 400);
    const requestHash = createHash('sha256').update(`grpc:${rpc}\n${JSON.stringify(request ?? null)}`).digest('hex');
    const { response } = await this.idempotency.once(requester.accountId, key, requestHash, async (claim) => {
      const reply = await run({ ...ctx, idempotencyResumed: claim.resumed });
      const position = 'position' in reply && typeof reply.position === 'string' ? reply.position : null;
      return { status: 200, body: reply, position };
    });
    return response.body as R;
  }

  /** The request as the HTTP DTO, validated by the same rules (whitelist, no unknown fields) and the domain's text checks (SPEC 12). */
  validated<T extends object>(dto: Dto<T>, plain: object): T {
    return validatedDto(dto, plain, (detail) => new HttpException({ code: 'validation_failed', detail }, 400));
  }
}

function single(metadata: Metadata, key: string): string | undefined {
  const value = metadata.get(key)[0];
  return value === undefined ? undefined : String(value);
}
