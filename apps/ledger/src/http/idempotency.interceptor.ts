import { CallHandler, ExecutionContext, HttpException, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { createHash } from 'node:crypto';
import { Observable, from, of, switchMap } from 'rxjs';
import { IdempotencyStore } from './idempotency.store';
import { POSITION_HEADER } from './position';

/**
 * `Idempotency-Key` on POST: a repeat with the same key and body gets the first
 * (successful) response again without a second effect; the same key with another
 * body gets 422. The key also seeds the event ids, so concurrent repeats append once.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(private readonly store: IdempotencyStore, private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest();
    const key: string | undefined = request.headers?.['idempotency-key'];
    if (request.method !== 'POST' || !key || !request.requester) return next.handle();
    if (key.length > 200) throw new HttpException({ code: 'validation_failed', detail: 'Idempotency-Key is longer than 200 characters' }, 400);
    request.idempotencyKey = key;
    const accountId: string = request.requester.accountId;
    const requestHash = createHash('sha256').update(`${request.url}\n${JSON.stringify(request.body ?? null)}`).digest('hex');
    const reply = context.switchToHttp().getResponse();
    const status: number = this.reflector.get(HTTP_CODE_METADATA, context.getHandler()) ?? 201;
    return from(this.store.find(accountId, key)).pipe(
      switchMap((stored) => {
        if (stored && stored.requestHash !== requestHash) {
          throw new HttpException({ code: 'idempotency_key_reused', detail: 'this Idempotency-Key was used with another request' }, 422);
        }
        if (stored) {
          if (stored.position) reply.header(POSITION_HEADER, stored.position);
          reply.header('idempotent-replayed', 'true');
          return of(stored.body);
        }
        return next.handle().pipe(
          switchMap(async (body) => {
            const position = reply.getHeader?.(POSITION_HEADER) ?? null;
            await this.store.save(accountId, key, { requestHash, status, body, position });
            return body;
          }),
        );
      }),
    );
  }
}
