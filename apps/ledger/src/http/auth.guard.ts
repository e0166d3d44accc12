import { CanActivate, ExecutionContext, Injectable, SetMetadata, UnauthorizedException, createParamDecorator } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Requester } from '../../../../libs/domain/src/types';
import { KeyRing } from '../accounts/key-ring';

export const PUBLIC_ROUTE = 'ledger:public';
/** Marks a route that needs no key (health, metrics). */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

/** `Authorization: Bearer <key>`; 401 without a valid key. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(private readonly keys: KeyRing, private readonly reflector: Reflector) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, [context.getHandler(), context.getClass()])) return true;
    const request = context.switchToHttp().getRequest();
    const header: string | undefined = request.headers?.authorization;
    const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match) throw new UnauthorizedException('an Authorization: Bearer <key> header is required');
    const requester = await this.keys.resolve(match[1]);
    if (!requester) throw new UnauthorizedException('the key is not valid');
    request.requester = requester;
    return true;
  }
}

/** The authenticated requester of this request. */
export const Caller = createParamDecorator((_: unknown, ctx: ExecutionContext): Requester => {
  return ctx.switchToHttp().getRequest().requester;
});
