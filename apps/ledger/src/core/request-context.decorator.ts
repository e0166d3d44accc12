import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Requester } from '@ledger/domain/types';
import { checkedCorrelationId, RequestContext } from './request-context';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the AuthGuard; absent only on public routes. */
    requester?: Requester;
    /** Set by the IdempotencyInterceptor before the handler runs. */
    idempotencyKey?: string;
    idempotencyResumed?: boolean;
  }
}

/**
 * The request context of an HTTP request: the authenticated requester, its idempotency key, its
 * correlation id (`x-request-id`, checked by checkedCorrelationId: a 400 problem when too long or
 * not text, before the handler runs; Fastify's own request id when absent).
 */
export function requestContextOf(request: FastifyRequest): RequestContext {
  const header = request.headers['x-request-id'];
  return {
    requester: request.requester!,
    idempotencyKey: request.idempotencyKey,
    idempotencyResumed: request.idempotencyResumed,
    correlationId: checkedCorrelationId(Array.isArray(header) ? header[0] : header) ?? request.id,
  };
}

/** `@Context() ctx: RequestContext` in an HTTP entry. */
export const Context = createParamDecorator((_: unknown, ctx: ExecutionContext): RequestContext => {
  return requestContextOf(ctx.switchToHttp().getRequest<FastifyRequest>());
});
