import { CanActivate, ExecutionContext, HttpException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuthThrottle } from '../accounts/auth-throttle';
import { PUBLIC_ROUTE } from '../core/entry-decorators';


/** `Authorization: Bearer <key>`; 401 without a valid key, 429 (Retry-After) after too many failures from one client. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(private readonly throttle: AuthThrottle, private readonly reflector: Reflector) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, [context.getHandler(), context.getClass()])) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const header: string | undefined = request.headers?.authorization;
    const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    const client: string = request.ip ?? request.socket?.remoteAddress ?? 'unknown';
    try {
      if (!match) {
        await this.throttle.failed(client, 'http');
        throw new UnauthorizedException('an Authorization: Bearer <key> header is required');
      }
      const requester = await this.throttle.resolve(match[1], client, 'http');
      if (!requester) throw new UnauthorizedException('the key is not valid');
      request.requester = requester;
      return true;
    } catch (err) {
      if (err instanceof HttpException && err.getStatus() === 429) {
        context.switchToHttp().getResponse<FastifyReply>().header('retry-after', String((err.getResponse() as { extra: { retryAfter: number } }).extra.retryAfter));
      }
      throw err;
    }
  }
}
