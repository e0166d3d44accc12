import { CallHandler, ExecutionContext, HttpException, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Observable, lastValueFrom } from 'rxjs';
import { NO_REPLAY } from '../core/entry-decorators';
import { IdempotencyStore, ReplayedProblem } from './idempotency.store';
import { POSITION_HEADER } from '../core/position';

/**
 * `Idempotency-Key` on POST (docs/idempotency.md): a repeat with the same key and request
 * gets the first outcome again (a kept failure too) without a second effect; the same key
 * with another request gets 422. The key also seeds the event ids, so concurrent repeats
 * append once, and a repeat after a crash can tell whether the first attempt was recorded.
 */

@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(private readonly store: IdempotencyStore, private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const header = request.headers?.['idempotency-key'];
    const key = Array.isArray(header) ? header[0] : header;
    if (request.method !== 'POST' || !key || !request.requester) return next.handle();
    if (this.reflector.get<boolean | undefined>(NO_REPLAY, context.getHandler())) return next.handle();
    if (key.length > 200) throw new HttpException({ code: 'validation_failed', detail: 'Idempotency-Key is longer than 200 characters' }, 400);
    request.idempotencyKey = key;
    const accountId: string = request.requester.accountId;
    const requestHash = createHash('sha256').update(`${request.url}\n${JSON.stringify(request.body ?? null)}`).digest('hex');
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const routeStatus: number = this.reflector.get<number | undefined>(HTTP_CODE_METADATA, context.getHandler()) ?? 201;
    return new Observable((subscriber) => {
      this.store
        .once(accountId, key, requestHash, async (claim) => {
          request.idempotencyResumed = claim.resumed;
          const body: unknown = await lastValueFrom(next.handle(), { defaultValue: undefined });
          const status = reply.statusCode && reply.statusCode !== 200 ? reply.statusCode : routeStatus;
          return { status, body, position: positionOf(reply) };
        })
        .then(({ replayed, response }) => {
          if (replayed) {
            if (response.position) reply.header(POSITION_HEADER, response.position);
            reply.header('idempotent-replayed', 'true');
            reply.status(response.status);
          }
          subscriber.next(response.body);
          subscriber.complete();
        }, (err: unknown) => {
          if (err instanceof ReplayedProblem) reply.header('idempotent-replayed', 'true');
          subscriber.error(err);
        });
    });
  }
}

/** The position header the handler set, if any. */
function positionOf(reply: FastifyReply): string | null {
  const value = reply.getHeader(POSITION_HEADER);
  return typeof value === 'string' ? value : null;
}
