import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Observable } from 'rxjs';
import { TenantViewInterceptor } from './grpc/tenant-view.interceptor';
import { IdempotencyInterceptor } from './http/idempotency.interceptor';

/**
 * Every HTTP answer's way out: the tenant view outermost (replays too leave through the
 * caller's view), the Idempotency-Key inside it. One global interceptor rather than two
 * because Nest wraps each interceptor's `next` in its own deferred observable bound to the
 * async context (`AsyncResource.bind`), a cost every request pays per interceptor.
 */
@Injectable()
export class HttpAnswerInterceptor implements NestInterceptor {
  constructor(private readonly view: TenantViewInterceptor, private readonly idempotency: IdempotencyInterceptor) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return this.view.intercept(context, { handle: () => this.idempotency.intercept(context, next) });
  }
}
