import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Metadata } from '@grpc/grpc-js';
import type { FastifyRequest } from 'fastify';
import { defer, from, Observable, throwError } from 'rxjs';
import { catchError, map, switchMap } from 'rxjs/operators';
import { Requester } from '@ledger/domain/types';
import { AccountTree } from '../accounts/account-tree';
import { errorInView, tenantView } from '../accounts/tenant-view';
import { GrpcCaller } from './grpc-caller';

/**
 * The one place every answer passes on its way out (HTTP globally, gRPC per
 * controller): bodies and errors lose every account outside the caller's view.
 */
@Injectable()
export class TenantViewInterceptor implements NestInterceptor {
  constructor(private readonly tree: AccountTree, private readonly grpc: GrpcCaller) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() === 'rpc') return from(this.rpcRequester(context)).pipe(switchMap((requester) => this.answer(requester, next)));
    // Over HTTP the guard has set the requester already: no need to wait for it.
    return this.answer(context.switchToHttp().getRequest<FastifyRequest | undefined>()?.requester ?? null, next);
  }

  private answer(requester: Requester | null, next: CallHandler): Observable<unknown> {
    if (!requester) return next.handle();
    const view = tenantView(requester, this.tree);
    if (view.seesAll) return next.handle();
    return defer(() => next.handle()).pipe(
      map((body: unknown) => view.answer(body)),
      catchError((err) => throwError(() => errorInView(err, view))),
    );
  }

  private async rpcRequester(context: ExecutionContext): Promise<Requester | null> {
    // The handler asks the same caller and gets this lookup's answer (or its refusal).
    const metadata = context.switchToRpc().getContext<Metadata>();
    return metadata ? this.grpc.requester(metadata).catch(() => null) : null;
  }
}
