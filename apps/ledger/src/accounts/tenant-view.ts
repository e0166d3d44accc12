import { CallHandler, ExecutionContext, HttpException, Injectable, NestInterceptor } from '@nestjs/common';
import type { Metadata } from '@grpc/grpc-js';
import type { FastifyRequest } from 'fastify';
import { from, Observable, throwError } from 'rxjs';
import { catchError, map, switchMap } from 'rxjs/operators';
import { LedgerError } from '@ledger/domain/errors';
import { AccountView } from '@ledger/domain/tenancy/view';
import { Requester } from '@ledger/domain/types';
import { AccountTree } from './account-tree';
import { GrpcCaller } from '../grpc/grpc-caller';

/** SPEC 12: the caller's view of the other accounts, on the live account tree. */
export function tenantView(requester: Requester, tree: AccountTree): AccountView {
  return new AccountView({ requester, accounts: tree });
}

/** An error as the caller may see it: account ids outside its view replaced. */
export function errorInView(err: unknown, view: AccountView): unknown {
  if (view.seesAll) return err;
  if (err instanceof LedgerError) return new LedgerError(err.code, view.text(err.detail), view.answer(err.extra));
  if (err instanceof HttpException) {
    const res = err.getResponse();
    if (res && typeof res === 'object') return new HttpException(view.answer(res as Record<string, unknown>), err.getStatus());
  }
  return err;
}

/**
 * The one place every answer passes on its way out (HTTP globally, gRPC per
 * controller): bodies and errors lose every account outside the caller's view.
 */
@Injectable()
export class TenantViewInterceptor implements NestInterceptor {
  constructor(private readonly tree: AccountTree, private readonly grpc: GrpcCaller) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return from(this.requesterOf(context)).pipe(
      switchMap((requester) => {
        if (!requester) return next.handle();
        const view = tenantView(requester, this.tree);
        if (view.seesAll) return next.handle();
        return next.handle().pipe(
          map((body: unknown) => view.answer(body)),
          catchError((err) => throwError(() => errorInView(err, view))),
        );
      }),
    );
  }

  private async requesterOf(context: ExecutionContext): Promise<Requester | null> {
    if (context.getType() === 'rpc') {
      // The handler asks the same caller and gets this lookup's answer (or its refusal).
      const metadata = context.switchToRpc().getContext<Metadata>();
      return metadata ? this.grpc.requester(metadata).catch(() => null) : null;
    }
    return context.switchToHttp().getRequest<FastifyRequest | undefined>()?.requester ?? null;
  }
}
