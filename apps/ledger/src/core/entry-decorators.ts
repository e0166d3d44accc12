import { ExecutionContext, SetMetadata, createParamDecorator } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Requester } from '@ledger/domain/types';
import './request-context.decorator'; // the requester the auth guard sets on a Fastify request

/** What the entries of every area mark their routes with; the HTTP guard and interceptor read it. */
export const PUBLIC_ROUTE = 'ledger:public';
/** Marks a route that needs no key (health, metrics). */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

export const NO_REPLAY = 'ledger:no-idempotent-replay';
/** A route whose response must never be stored (it carries a secret shown once, such as a new key). */
export const NoReplay = () => SetMetadata(NO_REPLAY, true);

/** The authenticated requester of this request. */
export const Caller = createParamDecorator((_: unknown, ctx: ExecutionContext): Requester => {
  return ctx.switchToHttp().getRequest<FastifyRequest>().requester!;
});
